import { createHash } from 'node:crypto';
import { closeSync, constants, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { configError } from './errors.ts';
import { matchUnder, splitGlob } from './glob.ts';
import type { Cache } from './cache/types.ts';
import type { Item, Manifest } from './stage.ts';

type StatCache = Pick<Cache, 'statGet' | 'statSet'>;

/**
 * Finds the items a pipeline's `sessions.path` glob names (folders or files) and
 * fingerprints each by content. File hashes are reused while size, mtime and inode
 * are unchanged, so a no-op rerun reads no file content. A glob that matches nothing
 * is a config error: an empty run would silently empty every output.
 */
export function discoverItems(glob: string, cache: StatCache): Item[] {
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
  const found = matchUnder(base, pattern, 'entries');
  if (found.length === 0) {
    throw configError(`sessions.path: ${glob} matches no session`, {
      hint: `Nothing under ${base} matches ${pattern}; check the path (it is relative to the pipeline file). Earlier outputs were left alone.`,
    });
  }
  return found.map((rel) => {
    const abs = join(base, rel);
    return fingerprintItem(abs, rel, statSync(abs), cache);
  });
}

function fingerprintItem(abs: string, id: string, st: Stats, cache: StatCache): Item {
  const files = st.isDirectory() ? manifestOf(abs, cache) : { '': st.isFile() ? fileHash(abs, st, cache) : special(st) };
  return { id, path: abs, fingerprint: fingerprintOf(files), files };
}

/** One hash for a manifest: equal file sets with equal contents give equal fingerprints. */
export function fingerprintOf(files: Manifest): string {
  const h = createHash('sha256');
  for (const rel of Object.keys(files).sort()) h.update(`${rel}\u0000${files[rel]}\n`);
  return h.digest('hex');
}

/**
 * The content hash of every file under `abs` (a folder or one file), by path relative to it
 * ('' for a file itself). Symlinks count by their target's content when the target is a regular
 * file inside `abs`; a link out of the folder, a broken link, a FIFO or a device is recorded by
 * what it is and never opened, so fingerprinting cannot hang or read outside the folder, and
 * the session readers report such an entry as an error.
 */
export function manifestOf(abs: string, cache: StatCache): Manifest {
  let st: Stats;
  try {
    st = statSync(abs);
  } catch {
    return {};
  }
  if (!st.isDirectory()) return st.isFile() ? { '': fileHash(abs, st, cache) } : { '': special(st) };
  const out: Record<string, string> = {};
  const root = safeRealpath(abs) ?? abs;
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const rel = relative(abs, p).split(sep).join('/');
      const lst = lstatSync(p);
      if (lst.isDirectory()) visit(p);
      else if (lst.isFile()) out[rel] = fileHash(p, lst, cache);
      else if (lst.isSymbolicLink()) out[rel] = linkHash(p, root, cache);
      else out[rel] = special(lst);
    }
  };
  visit(abs);
  return out;
}

function linkHash(p: string, root: string, cache: StatCache): string {
  const target = safeRealpath(p);
  if (target === undefined) return '!symlink:broken';
  if (target !== root && !target.startsWith(root + sep)) return '!symlink:outside';
  const st = statSync(target);
  return st.isFile() ? fileHash(target, st, cache) : st.isDirectory() ? '!symlink:folder' : special(st);
}

function special(st: Stats): string {
  if (st.isFIFO()) return '!special:fifo';
  if (st.isSocket()) return '!special:socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return '!special:device';
  return '!special:other';
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function fileHash(path: string, st: Stats, cache: StatCache): string {
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
  // O_NONBLOCK: a file swapped for a FIFO between stat and open must not block the run.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
