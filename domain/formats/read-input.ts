import { readdir, stat } from 'node:fs/promises';
import { inputError, TracepipeError } from '../../engine/errors.ts';
import { isPlainObject } from '../../engine/values.ts';
import { parseSessionJson } from '../session/json-text.ts';
import { decodeUtf8, openRegularFile } from '../session/session-file.ts';

/** Reads and parses a JSON file; unreadable or bad JSON is TP_INPUT naming the file. */
export async function readJsonFile(file: string): Promise<unknown> {
  return parseJsonText(await readText(file), file);
}

/**
 * A recording file's bytes. Importers read regular files only: a FIFO (which would block the
 * run), a device or a folder is refused unread, and so is a file that is a symbolic link,
 * since its target may be anywhere (TP_INPUT naming the file). A missing file rejects with
 * the system error, so callers can say what its absence means.
 */
export async function readInputFile(file: string): Promise<Buffer> {
  const fh = await openRegularFile(file);
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** A recording file's text (strict UTF-8, see decodeUtf8). */
async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file);
  } catch (err) {
    if (err instanceof TracepipeError) throw err;
    throw inputError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { location: { file } });
  }
  return decodeUtf8(bytes, file, file);
}

export function parseJsonText(text: string, file: string): unknown {
  return parseSessionJson(text, file, file);
}

export interface JsonLine {
  /** 1-based line number in the file. */
  line: number;
  value: Record<string, unknown>;
}

/** Parses a JSONL file; blank lines are skipped, a bad line is TP_INPUT naming file and line. */
export async function readJsonLines(file: string): Promise<JsonLine[]> {
  return parseJsonLines(await readText(file), file);
}

/** Longest JSONL line an importer reads: a recorder writes one event per line. */
export const MAX_INPUT_LINE_CHARS = 8 << 20;

export function parseJsonLines(text: string, file: string): JsonLine[] {
  const out: JsonLine[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (raw.length > MAX_INPUT_LINE_CHARS) {
      throw inputError(`${file}:${i + 1}: line is longer than ${MAX_INPUT_LINE_CHARS >> 20} MiB; a JSONL recording holds one event per line`, {
        location: { file, line: i + 1 },
      });
    }
    const s = raw.trim();
    if (s === '') return;
    const value = parseSessionJson(s, file, file, i + 1);
    if (!isRecord(value)) throw inputError(`${file}:${i + 1}: expected a JSON object`, { location: { file, line: i + 1 } });
    out.push({ line: i + 1, value });
  });
  return out;
}

export const isRecord = isPlainObject;

/** Where a field is, for error messages: `file:line` plus the field path. */
export interface FieldPlace {
  file: string;
  line?: number;
}

/** TP_INPUT for a missing or mistyped field, naming file, line and field. */
export function fieldError(place: FieldPlace, field: string, what: string): never {
  const where = place.line === undefined ? place.file : `${place.file}:${place.line}`;
  throw inputError(`${where}: field "${field}" ${what}`, { location: { ...place, field } });
}

export function requireNumber(obj: Record<string, unknown>, field: string, place: FieldPlace): number {
  const v = obj[field];
  if (v === undefined || v === null) return fieldError(place, field, 'is missing');
  if (typeof v !== 'number' || !Number.isFinite(v)) return fieldError(place, field, `must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function requireString(obj: Record<string, unknown>, field: string, place: FieldPlace): string {
  const v = obj[field];
  if (v === undefined || v === null) return fieldError(place, field, 'is missing');
  if (typeof v !== 'string') return fieldError(place, field, `must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export const optString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const optNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch {
    return [];
  }
}

/** Parses a JSON file for `detect`: undefined instead of an error when it is not JSON. */
export async function tryReadJson(path: string, maxBytes = 256 * 1024 * 1024): Promise<unknown> {
  try {
    const s = await stat(path);
    if (!s.isFile() || s.size > maxBytes) return undefined;
    return JSON.parse((await readInputFile(path)).toString('utf8'));
  } catch (err) {
    if (err instanceof TracepipeError && /symbolic link/.test(err.message)) throw err;
    return undefined;
  }
}

export const isoFromMs = (ms: number): string => new Date(ms).toISOString();
