import type { FileHandle } from 'node:fs/promises';
import { readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { inputError, TracepipeError } from '../../engine/errors.ts';
import { isPlainObject as isObj } from '../../engine/values.ts';
import { firstZodIssue } from '../../engine/config/zod-issues.ts';
import { describeJsonError, parseSessionJson, pathDeeperThan, MAX_JSON_DEPTH } from './json-text.ts';
import { InputEvent, SessionMeta, type ScreenshotRef } from './model.ts';
import { invalidUtf8, isInside, openSessionFile, readSessionText, StrictUtf8Decoder } from './session-file.ts';
import { maskedMeta } from './mask-meta.ts';

export const EVENTS_FILE = 'input_events.jsonl';
export const META_FILE = 'session.json';

/** An input event as read from disk: it always has an id (`input_events.jsonl:<line>` when the file gave none). */
export type SessionEvent = InputEvent & { id: string };

/** Largest session.json read: metadata and labels, not data. */
const MAX_META_BYTES = 16 << 20;

/** Reads and validates `session.json`; a missing file or a bad field is TP_INPUT naming both. */
export async function readSessionMeta(dir: string): Promise<SessionMeta> {
  const file = join(dir, META_FILE);
  let text: string;
  try {
    text = await readSessionText(dir, META_FILE, MAX_META_BYTES);
  } catch (err) {
    if (err instanceof TracepipeError) throw err;
    throw inputError(`${META_FILE}: missing or unreadable in ${dir}`, {
      location: { file },
      cause: err,
      hint: 'Every native session folder needs a session.json with at least {id, suite, startedAt}.',
    });
  }
  const raw = parseSessionJson(text, META_FILE, file);
  const parsed = SessionMeta.safeParse(raw);
  if (!parsed.success) {
    const { field, problem } = firstZodIssue(parsed.error, raw);
    throw inputError(`${META_FILE} field "${field}": ${problem}`, { location: { file, field } });
  }
  if (Number.isNaN(Date.parse(parsed.data.startedAt))) {
    throw inputError(`${META_FILE} field "startedAt": "${parsed.data.startedAt}" is not an ISO-8601 time`, {
      location: { file, field: 'startedAt' },
    });
  }
  return maskedMeta(parsed.data);
}

/** A line that did not parse, held until we know whether anything follows it. */
interface BadLine {
  line: number;
  message: string;
}

/** Longest line input_events.jsonl may have: an event is one small JSON object. */
export const MAX_EVENT_LINE_CHARS = 8 << 20;

/**
 * Streams `input_events.jsonl` in batches (one per ~1 MB read), validating every line against
 * the InputEvent schema and checking the clock never goes backwards. Memory is bounded by the
 * chunk size and MAX_EVENT_LINE_CHARS, and each byte is looked at once however long its line.
 * Problems are TP_INPUT naming file, line and field; a bad final line with nothing after it
 * is reported as truncated.
 */
export async function* readEventBatches(dir: string): AsyncGenerator<SessionEvent[]> {
  const file = join(dir, EVENTS_FILE);
  const fail = (line: number, field: string | undefined, text: string) =>
    inputError(`${EVENTS_FILE}:${line}${field === undefined ? '' : ` field "${field}"`}: ${text}`, {
      location: field === undefined ? { file, line } : { file, line, field },
    });
  const decoder = new StrictUtf8Decoder();
  let prevT = -Infinity;
  let line = 0;
  /** The pieces of the line being read, joined once its end is found. */
  const pending: string[] = [];
  let pendingChars = 0;
  let bad: BadLine | undefined;
  const take = (text: string, out: SessionEvent[]) => {
    line++;
    if (bad !== undefined) {
      if (text.trim() !== '') throw fail(bad.line, undefined, `not valid JSON (${bad.message})`);
      return;
    }
    if (text.length === 0 || (text.length < 8 && text.trim() === '')) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      if (text.trim() === '') return;
      bad = { line, message: describeJsonError(err, text).text };
      return;
    }
    const ev = parseEvent(raw);
    if (ev instanceof BadEvent) throw fail(line, ev.field, ev.text);
    if (ev.t < prevT) throw fail(line, 't', `${ev.t} is earlier than the previous event's ${prevT}`);
    prevT = ev.t;
    if (ev.id === undefined) ev.id = `${EVENTS_FILE}:${line}`;
    out.push(ev as SessionEvent);
  };
  const tooLong = () =>
    fail(line + 1, undefined, `line is longer than ${MAX_EVENT_LINE_CHARS >> 20} MiB; input_events.jsonl holds one small JSON object per line`);
  let fh: FileHandle;
  try {
    fh = await openSessionFile(dir, EVENTS_FILE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw inputError(`${EVENTS_FILE}: missing in ${dir}`, {
        location: { file },
        hint: 'A native session folder needs input_events.jsonl (it may be empty).',
      });
    }
    throw err;
  }
  try {
    let first = true;
    for await (const chunk of chunks(fh)) {
      if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf)
        throw fail(1, undefined, 'starts with a byte-order mark (BOM); save it as UTF-8 without one');
      first = false;
      const decoded = decoder.write(chunk);
      if ('invalid' in decoded) throw invalidUtf8(decoded.invalid, EVENTS_FILE, file, line + 1);
      const text = decoded.text;
      const out: SessionEvent[] = [];
      let start = 0;
      let nl: number;
      while ((nl = text.indexOf('\n', start)) !== -1) {
        const piece = text.slice(start, nl);
        if (pendingChars + piece.length > MAX_EVENT_LINE_CHARS) throw tooLong();
        if (pending.length === 0) take(piece, out);
        else {
          pending.push(piece);
          take(pending.join(''), out);
          pending.length = 0;
          pendingChars = 0;
        }
        start = nl + 1;
      }
      if (start < text.length) {
        pending.push(text.slice(start));
        pendingChars += text.length - start;
        if (pendingChars > MAX_EVENT_LINE_CHARS) throw tooLong();
      }
      if (out.length > 0) yield out;
    }
  } finally {
    await fh.close();
  }
  const last = decoder.end();
  if (last === undefined) throw fail(line + 1, undefined, 'not valid UTF-8 (the file ends inside a character)');
  const rest = pending.join('') + last;
  const out: SessionEvent[] = [];
  if (rest.length > 0) take(rest, out);
  if (bad !== undefined) throw fail(bad.line, undefined, `truncated last line (${bad.message})`);
  if (out.length > 0) yield out;
}

/** Read size for large files: small enough that a batch of parsed events dies young (low peak RSS). */
const CHUNK_BYTES = 64 << 10;
/** Files up to this size are read in one go (fewer round trips to the thread pool). */
const WHOLE_FILE_BYTES = 4 << 20;

/** A file's bytes, a chunk at a time (plain reads on one handle: cheaper than a ReadStream). */
async function* chunks(fh: FileHandle): AsyncGenerator<Buffer> {
  const { size } = await fh.stat();
  const chunk = size <= WHOLE_FILE_BYTES ? Math.max(size, 1) : CHUNK_BYTES;
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(chunk);
    const { bytesRead } = await fh.read(buf, 0, chunk, null);
    if (bytesRead === 0) return;
    total += bytesRead;
    yield bytesRead === chunk ? buf : buf.subarray(0, bytesRead);
    // A file read whole is done once its size is in; no need to ask for EOF.
    if (size <= WHOLE_FILE_BYTES && total >= size) return;
  }
}

/** The events of `input_events.jsonl` one at a time (see readEventBatches). */
export async function* readEvents(dir: string): AsyncGenerator<SessionEvent> {
  for await (const batch of readEventBatches(dir)) yield* batch;
}

/** Why a line is not an InputEvent. */
export class BadEvent {
  constructor(
    readonly field: string,
    readonly text: string,
  ) {}
}

/**
 * Validates one event. Common event shapes take a hand-written path that accepts only what
 * the schema accepts (and returns what it would return, defaults included); anything else,
 * including every invalid event, goes through zod, which also words the error.
 */
export function parseEvent(raw: unknown): InputEvent | BadEvent {
  const fast = fastEvent(raw);
  if (fast !== undefined) return fast;
  const deep = pathDeeperThan(raw, MAX_JSON_DEPTH);
  if (deep !== undefined) return new BadEvent(deep, `nested more than ${MAX_JSON_DEPTH} levels deep`);
  const parsed = InputEvent.safeParse(raw);
  if (parsed.success) return parsed.data;
  const { field, problem } = firstZodIssue(parsed.error, raw);
  return new BadEvent(field, problem);
}

const optString = (v: unknown) => v === undefined || typeof v === 'string';
const optNumber = (v: unknown) => v === undefined || typeof v === 'number';
const BUTTONS = new Set(['left', 'right', 'middle']);
const TARGET_STRINGS = new Set(['selector', 'tag', 'id', 'role', 'name', 'text', 'field', 'inputType']);

/** Fields each fast-path type may have, beyond the common id/t/target/url. */
const FAST_FIELDS: Record<string, Set<string>> = {
  mousemove: new Set(['x', 'y']),
  mousedown: new Set(['x', 'y', 'button']),
  mouseup: new Set(['x', 'y', 'button']),
  wheel: new Set(['x', 'y', 'dx', 'dy']),
  keydown: new Set(['key', 'code']),
  keyup: new Set(['key', 'code']),
  input: new Set(['value']),
};

function plainTarget(t: unknown): boolean {
  if (!isObj(t)) return false;
  for (const k in t) {
    const v = t[k];
    if (TARGET_STRINGS.has(k)) {
      if (typeof v !== 'string') return false;
    } else if (k === 'classes') {
      if (!Array.isArray(v) || !v.every((c) => typeof c === 'string')) return false;
    } else if (k === 'bbox') {
      if (!isObj(v) || Object.keys(v).length !== 4) return false;
      if (typeof v.x !== 'number' || typeof v.y !== 'number' || typeof v.width !== 'number' || typeof v.height !== 'number') return false;
    } else return false;
  }
  return true;
}

/** The event when it is a plain, valid instance of a common type; undefined means "ask zod". */
export function fastEvent(raw: unknown): InputEvent | undefined {
  if (!isObj(raw)) return undefined;
  const type = raw.type;
  const fields = typeof type === 'string' ? FAST_FIELDS[type] : undefined;
  if (fields === undefined) return undefined;
  if (typeof raw.t !== 'number' || !(raw.t >= 0) || !optString(raw.id) || !optString(raw.url)) return undefined;
  for (const k in raw) {
    if (k === 'type' || k === 't' || k === 'id' || k === 'url' || fields.has(k)) continue;
    if (k === 'target' && plainTarget(raw.target)) continue;
    return undefined;
  }
  switch (type) {
    case 'mousemove':
      return typeof raw.x === 'number' && typeof raw.y === 'number' ? (raw as InputEvent) : undefined;
    case 'mousedown':
    case 'mouseup':
      if (typeof raw.x !== 'number' || typeof raw.y !== 'number') return undefined;
      if (raw.button === undefined) raw.button = 'left';
      return typeof raw.button === 'string' && BUTTONS.has(raw.button) ? (raw as InputEvent) : undefined;
    case 'wheel':
      if (!optNumber(raw.x) || !optNumber(raw.y) || !optNumber(raw.dx) || !optNumber(raw.dy)) return undefined;
      if (raw.dx === undefined) raw.dx = 0;
      if (raw.dy === undefined) raw.dy = 0;
      return raw as InputEvent;
    case 'keydown':
    case 'keyup':
      return typeof raw.key === 'string' && optString(raw.code) ? (raw as InputEvent) : undefined;
    case 'input':
      return typeof raw.value === 'string' ? (raw as InputEvent) : undefined;
    default:
      return undefined;
  }
}

export const SCREENSHOTS_DIR = 'screenshots';
const INDEX_FILE = `${SCREENSHOTS_DIR}/index.json`;
const TIMED_IMAGE = /^(\d+)\.(png|jpe?g|webp)$/i;
const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp)$/i;

/**
 * Lists a session's screenshots, sorted by time. `screenshots/index.json` ([{t, path}],
 * paths relative to the session folder) wins when present; otherwise files named by
 * capture time (`<t>.png|jpg`). Every path must stay inside the session folder (symlinks
 * included) and every file must really be an image.
 */
export async function listScreenshots(dir: string): Promise<ScreenshotRef[]> {
  const shotsDir = join(dir, SCREENSHOTS_DIR);
  let names: string[];
  try {
    names = await readdir(shotsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const root = await realpath(dir);
  const refs = names.includes('index.json') ? await readIndex(dir) : timedFiles(names);
  // Checked a batch at a time: each check is a few small file operations, mostly waiting.
  const out: ScreenshotRef[] = [];
  for (let i = 0; i < refs.length; i += 32) {
    const batch = refs.slice(i, i + 32);
    const paths = await Promise.all(batch.map((ref) => checkScreenshot(dir, root, ref.path, ref.where)));
    batch.forEach((ref, k) => out.push({ t: ref.t, path: paths[k]! }));
  }
  return out.sort((a, b) => a.t - b.t || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type Listed = ScreenshotRef & { where: { file: string; line?: number; field?: string } };

function timedFiles(names: string[]): Listed[] {
  const out: Listed[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const m = TIMED_IMAGE.exec(name);
    const path = `${SCREENSHOTS_DIR}/${name}`;
    if (m) out.push({ t: Number(m[1]), path, where: { file: path } });
    else if (IMAGE_EXT.test(name)) {
      throw inputError(`${path}: screenshot is not named by its capture time (expected e.g. 001500.png)`, {
        location: { file: path },
        hint: 'Name screenshots <ms since startedAt>.png|jpg, or list them in screenshots/index.json as [{t, path}].',
      });
    }
  }
  return out;
}

/** Largest screenshots/index.json read. */
const MAX_INDEX_BYTES = 16 << 20;

async function readIndex(dir: string): Promise<Listed[]> {
  const file = join(dir, INDEX_FILE);
  const raw = parseSessionJson(await readSessionText(dir, INDEX_FILE, MAX_INDEX_BYTES), INDEX_FILE, file);
  const parsed = ScreenshotIndex.safeParse(raw);
  if (!parsed.success) {
    const { field, problem } = firstZodIssue(parsed.error, raw);
    throw inputError(`${INDEX_FILE} field "${field}": ${problem}`, { location: { file, field } });
  }
  return parsed.data.map((e, i) => ({ ...e, where: { file: INDEX_FILE, field: `${i}.path` } }));
}

const ScreenshotIndex = z.array(z.object({ t: z.number().nonnegative(), path: z.string().min(1) }));

/**
 * Checks one listed screenshot and returns its path relative to the session folder. Index
 * paths are relative to the session folder; a bare name that only exists under screenshots/
 * is accepted too (some recorders write those).
 */
async function checkScreenshot(dir: string, root: string, rel: string, where: Listed['where']): Promise<string> {
  const fail = (text: string, cause?: unknown) =>
    inputError(`${where.file}${where.field ? ` field "${where.field}"` : ''}: ${text}`, {
      location: where,
      ...(cause === undefined ? {} : { cause }),
    });
  if (isAbsolute(rel) || /^[a-zA-Z]:[\\/]/.test(rel)) throw fail(`path "${rel}" is absolute; it must be relative to the session folder`);
  const base = resolve(dir);
  const candidates = [resolve(base, rel), resolve(base, SCREENSHOTS_DIR, rel)];
  if (!isInside(base, candidates[0]!)) throw fail(`path "${rel}" escapes the session folder`);
  let real: string | undefined;
  let abs = candidates[0]!;
  let firstError: unknown;
  for (const candidate of candidates) {
    if (!isInside(base, candidate)) continue;
    try {
      real = await realpath(candidate);
      abs = candidate;
      break;
    } catch (err) {
      firstError ??= err;
    }
  }
  if (real === undefined) throw fail(`screenshot "${rel}" does not exist`, firstError);
  if (!isInside(root, real)) throw fail(`path "${rel}" is a link that escapes the session folder`);
  const inFolder = relative(base, abs).split(sep).join('/');
  const kind = await imageKind(await openSessionFile(dir, inFolder));
  if (kind === undefined) throw fail(`"${rel}" is not a PNG, JPEG or WebP image`);
  return inFolder;
}

/** An image format screenshots may be in. */
export type ImageKind = 'png' | 'jpeg' | 'webp';

/** The image format an open file's magic bytes say it has, or undefined when it is not an image we read; closes the file. */
async function imageKind(fh: FileHandle): Promise<ImageKind | undefined> {
  try {
    const buf = Buffer.alloc(12);
    const { bytesRead } = await fh.read(buf, 0, 12, 0);
    return imageKindOf(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** The image format `bytes` start with, or undefined when it is not an image we read. */
function imageKindOf(bytes: Uint8Array): ImageKind | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_MAGIC)) return 'png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/**
 * The bytes and image format of a screenshot listScreenshots returned (read under the
 * session-file rule). The format is the one its bytes have: a name's extension may lie.
 */
export async function readScreenshot(dir: string, ref: ScreenshotRef): Promise<{ data: Buffer; kind: ImageKind }> {
  const fh = await openSessionFile(dir, ref.path);
  let data: Buffer;
  try {
    data = await fh.readFile();
  } finally {
    await fh.close();
  }
  const kind = imageKindOf(data);
  if (kind === undefined) throw inputError(`${ref.path}: is not a PNG, JPEG or WebP image`, { location: { file: ref.path } });
  return { data, kind };
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
