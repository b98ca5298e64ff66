import { isUtf8 } from 'node:buffer';
import { constants, type Stats } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { inputError } from '../../engine/errors.ts';

/**
 * The one rule for every file a session reader opens: its path, links followed, stays inside
 * the session folder, and it is a regular file. A link out of the folder is refused before
 * anything is read from its target (so no error can echo the target's bytes), and a FIFO,
 * socket, device or folder is refused without being read (a FIFO would block the run forever).
 */

/** True when `p` is strictly inside `root` (both absolute, links already resolved). */
export function isInside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r !== '' && r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r);
}

/** What a non-regular file is, for error messages. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isDirectory()) return 'a folder';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * The real path of `rel` in session folder `dir` when it is a regular file inside the folder;
 * undefined when nothing is there; TP_INPUT naming `rel` when it is a link out or not a file.
 */
export async function findSessionFile(dir: string, rel: string): Promise<string | undefined> {
  const fh = await openSessionFile(dir, rel).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (fh === undefined) return undefined;
  await fh.close();
  return realpath(resolve(dir, rel));
}

/**
 * Opens `rel` in session folder `dir` for reading under the rule above. A missing file
 * rejects with the ENOENT error itself, so callers can say what a missing file means.
 */
export async function openSessionFile(dir: string, rel: string): Promise<FileHandle> {
  const file = resolve(dir, rel);
  const root = await realpath(dir);
  const real = await realpath(file);
  if (!isInside(root, real)) {
    throw inputError(`${rel}: is a link that leads outside the session folder`, {
      location: { file },
      hint: 'Every file of a session must be inside its folder: copy the file in instead of linking to it.',
    });
  }
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  const fh = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw inputError(`${rel}: is ${kindOf(st)}, not a regular file; it was not read`, { location: { file } });
  }
  return fh;
}

/**
 * Opens a file that must be a regular file and not a symbolic link (importers' rule: the
 * target of a link may be anywhere). A link, FIFO, device or folder is TP_INPUT naming the
 * file, refused unread; a missing file rejects with the system error.
 */
export async function openRegularFile(file: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw inputError(`${file}: is a symbolic link; importers read only regular files inside the recording`, { location: { file } });
    }
    throw err;
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw inputError(`${file}: is ${kindOf(st)}, not a regular file; it was not read`, { location: { file } });
  }
  return fh;
}

/**
 * The text of a session file, strictly UTF-8: a byte-order mark or an invalid byte is TP_INPUT
 * naming the file, line and column (never a silent U+FFFD). Files over `maxBytes` are refused.
 */
export async function readSessionText(dir: string, rel: string, maxBytes: number): Promise<string> {
  const file = resolve(dir, rel);
  const fh = await openSessionFile(dir, rel);
  let bytes: Buffer;
  try {
    const { size } = await fh.stat();
    if (size > maxBytes) {
      throw inputError(`${rel}: is ${size} bytes, more than the ${maxBytes} this file may have`, { location: { file } });
    }
    bytes = await fh.readFile();
  } finally {
    await fh.close();
  }
  return decodeUtf8(bytes, rel, file);
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8 decoding of a whole file (see readSessionText). */
export function decodeUtf8(bytes: Buffer, rel: string, file: string, firstLine = 1): string {
  if (firstLine === 1 && bytes.subarray(0, 3).equals(UTF8_BOM)) {
    throw inputError(`${rel}:1:1: starts with a byte-order mark (BOM)`, {
      location: { file, line: 1, column: 1 },
      hint: 'Save the file as UTF-8 without a BOM.',
    });
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw invalidUtf8(bytes, rel, file, firstLine);
  }
}

/** TP_INPUT for the first byte of `bytes` that is not UTF-8, located by line and column. */
export function invalidUtf8(bytes: Buffer, rel: string, file: string, firstLine: number) {
  const lossy = bytes.toString('utf8');
  const at = lossy.indexOf('\uFFFD');
  const before = lossy.slice(0, Math.max(0, at));
  const line = firstLine + (before.match(/\n/g)?.length ?? 0);
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return inputError(`${rel}:${line}:${column}: not valid UTF-8`, {
    location: { file, line, column },
    hint: 'Session files are UTF-8 text; re-export the file as UTF-8.',
  });
}

/**
 * Decodes a file a chunk at a time as strict UTF-8, as fast as a plain decoder (the bytes are
 * validated natively; a character cut by a chunk's end is validated with the next chunk).
 */
export class StrictUtf8Decoder {
  private readonly decoder = new StringDecoder('utf8');
  private carry: Buffer = Buffer.alloc(0);

  /** The text of `chunk`; when it holds a byte that is not UTF-8, the bytes checked (from a character boundary on). */
  write(chunk: Buffer): { text: string } | { invalid: Buffer } {
    const cut = completeLength(chunk);
    const whole = this.carry.length === 0 ? chunk.subarray(0, cut) : Buffer.concat([this.carry, chunk.subarray(0, cut)]);
    if (!isUtf8(whole)) return { invalid: whole };
    this.carry = Buffer.from(chunk.subarray(cut));
    return { text: this.decoder.write(chunk) };
  }

  /** The decoded rest, or undefined when the file ends inside a character. */
  end(): string | undefined {
    return this.carry.length > 0 ? undefined : this.decoder.end();
  }
}

/** Length of the part of `buf` that ends on a character boundary (a sequence cut short at its end is left out). */
function completeLength(buf: Buffer): number {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 3); i--) {
    const b = buf[i]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return buf.length - i >= need ? buf.length : i;
  }
  return buf.length;
}
