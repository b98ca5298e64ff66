import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../../engine/hash.ts';

/**
 * Writes a file so readers see the old content or the new, never a torn one: the
 * text goes to a temp file in the same folder, which is then renamed over the target.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** JSON Lines text: one compact canonical JSON value per line, newline-terminated. */
export function jsonLines(values: readonly unknown[]): string {
  return values.map((v) => `${canonicalJson(v)}\n`).join('');
}

/** A JSON file people read: canonical, indented, newline-terminated. */
export function jsonFile(value: unknown): string {
  return `${canonicalJson(value, 2)}\n`;
}
