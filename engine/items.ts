import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { configError } from './errors.ts';
import type { Cache } from './cache/types.ts';
import type { Item } from './stage.ts';

const GLOB_CHARS = /[*?[\]{}()!]/;

/**
 * Finds the items a pipeline's `sessions.path` glob names (folders or files) and
 * fingerprints each by content. File hashes are reused while size, mtime and inode
 * are unchanged, so a no-op rerun reads no file content.
 */
export function discoverItems(glob: string, cache: Pick<Cache, 'statGet' | 'statSet'>): Item[] {
  const { base, pattern } = splitGlob(glob);
  let baseStat: Stats;
  try {
    baseStat = statSync(base);
  } catch {
    throw configError(`sessions.path: the folder ${base} does not exist`, {
      hint: 'Point sessions.path at a folder of sessions (a glob such as fixtures/sessions/* is allowed).',
    });
  }
  if (pattern === '') return [fingerprintItem(base, baseName(base), baseStat, cache)];
  const isMatch = picomatch(pattern, { dot: false });
  const depth = pattern.includes('**') ? Infinity : pattern.split('/').length;
  const found: string[] = [];
  walk(base, '', depth, (rel) => {
    if (isMatch(rel)) found.push(rel);
  });
  found.sort();
  return found.map((rel) => {
    const abs = join(base, rel);
    return fingerprintItem(abs, rel, statSync(abs), cache);
  });
}

function splitGlob(glob: string): { base: string; pattern: string } {
  const parts = glob.split(/[\\/]/);
  const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
  if (firstGlob === -1) return { base: glob, pattern: '' };
  return { base: parts.slice(0, firstGlob).join('/') || '/', pattern: parts.slice(firstGlob).join('/') };
}

function walk(dir: string, rel: string, depth: number, visit: (rel: string) => void): void {
  if (depth <= 0) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    visit(childRel);
    if (entry.isDirectory()) walk(join(dir, entry.name), childRel, depth - 1, visit);
  }
}

function fingerprintItem(abs: string, id: string, st: Stats, cache: Pick<Cache, 'statGet' | 'statSet'>): Item {
  if (!st.isDirectory()) return { id, path: abs, fingerprint: fileHash(abs, st, cache) };
  const h = createHash('sha256');
  for (const file of listFiles(abs)) {
    const rel = relative(abs, file).split(sep).join('/');
    h.update(`${rel}\u0000${fileHash(file, statSync(file), cache)}\n`);
  }
  return { id, path: abs, fingerprint: h.digest('hex') };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

function fileHash(path: string, st: Stats, cache: Pick<Cache, 'statGet' | 'statSet'>): string {
  const cached = cache.statGet(path, st.size, st.mtimeMs, st.ino);
  if (cached !== undefined) return cached;
  const hash = hashFileContent(path);
  cache.statSet(path, st.size, st.mtimeMs, st.ino, hash);
  return hash;
}

function baseName(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? p;
}

/** Hashes a file in fixed-size chunks, so a 200 MB event log costs no more memory than a small one. */
function hashFileContent(path: string): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
