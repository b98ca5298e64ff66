import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { canonicalJson } from './hash.ts';

/** `.<name>.<pid>.<8 hex>.tmp`: the temp file a write goes through, named by the process writing it. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Writes a file so readers see the old content or the new, never a torn one: the
 * text goes to a temp file in the same folder, which is then renamed over the target.
 * Temp files that a killed writer left in that folder are removed first.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  removeStaleTemps(dir);
  const tmp = tempPathFor(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The temp path a write of `file` by process `pid` goes through. */
export function tempPathFor(file: string, pid = process.pid): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Removes the temp files of writers that are gone. The write above is synchronous, so a
 * temp file of this process is never in flight when this runs; one of a live process is.
 */
function removeStaleTemps(dir: string): void {
  for (const name of readdirSync(dir)) if (isStaleTemp(name)) rmSync(path.join(dir, name), { force: true });
}

/**
 * Removes the temp files of writers that are gone anywhere under `root` (nothing when it does
 * not exist): a run whose outputs are all intact writes nothing, so it sweeps them up front.
 */
export function removeStaleTempsUnder(root: string): void {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true, recursive: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isFile() && isStaleTemp(e.name)) rmSync(path.join(e.parentPath, e.name), { force: true });
}

function isStaleTemp(name: string): boolean {
  const pid = Number(TEMP_NAME.exec(name)?.[1] ?? Number.NaN);
  return !Number.isNaN(pid) && (pid === process.pid || !isAlive(pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
