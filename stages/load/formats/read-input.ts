import { readFile, readdir, stat } from 'node:fs/promises';
import { inputError } from '../../../engine/errors.ts';
import { isPlainObject } from '../../../engine/values.ts';

/** Reads and parses a JSON file; unreadable or bad JSON is TP_INPUT naming the file. */
export async function readJsonFile(file: string): Promise<unknown> {
  return parseJsonText(await readText(file), file);
}

/** A file's text; unreadable is TP_INPUT naming the file. */
async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw inputError(`${file}: cannot be read (${(err as Error).message})`, { location: { file }, cause: err });
  }
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw inputError(`${file}: not valid JSON (${(err as Error).message})`, { location: { file }, cause: err });
  }
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

export function parseJsonLines(text: string, file: string): JsonLine[] {
  const out: JsonLine[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const s = raw.trim();
    if (s === '') return;
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch (err) {
      throw inputError(`${file}:${i + 1}: not valid JSON (${(err as Error).message})`, { location: { file, line: i + 1 }, cause: err });
    }
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
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export const isoFromMs = (ms: number): string => new Date(ms).toISOString();
