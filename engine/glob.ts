import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import picomatch from 'picomatch';
import { configError } from './errors.ts';

/**
 * The one glob rule, for `sessions.path` and for the files stages declare:
 * - a path is literal up to its first segment with glob syntax (`* ? [ ] { }`, or an extglob
 *   `@( !( +(`); that segment and the rest are matched by picomatch. Parentheses alone are
 *   literal, so a folder named "Recordings (2024)" needs no escaping;
 * - a name starting with `.` is never matched or walked into (write it out to name one);
 * - a symbolic link counts as what it points to (a dangling one matches nothing), and the
 *   walk never goes through a link to a folder (no cycles, no tree outside the base);
 * - matches are sorted by their path relative to the base;
 * - nothing matching is an empty list: the caller says whether that is an error.
 */

const GLOB_SYNTAX = /[*?[\]{}]|[@!+]\(/;

/** What a glob may match: any entry (sessions are folders or files), or regular files only. */
export type GlobTarget = 'entries' | 'files';

const segments = (path: string): string[] => (sep === '/' ? path.split('/') : path.split(/[\\/]/));

/** Whether `path` holds glob syntax (see above), rather than naming one file or folder. */
export function isGlob(path: string): boolean {
  return segments(path).some((s) => GLOB_SYNTAX.test(s));
}

/** The literal folder a glob starts from and the pattern below it ('' when `path` has no glob syntax). */
export function splitGlob(path: string): { base: string; pattern: string } {
  const parts = segments(path);
  const first = parts.findIndex((s) => GLOB_SYNTAX.test(s));
  if (first === -1) return { base: path, pattern: '' };
  return { base: parts.slice(0, first).join('/') || '/', pattern: parts.slice(first).join('/') };
}

/** The paths below `base` (relative, `/`-separated, sorted) that `pattern` matches. */
export function matchUnder(base: string, pattern: string, target: GlobTarget): string[] {
  const isMatch = picomatch(pattern, { dot: false });
  // A pattern without ** cannot match deeper than it has segments.
  const depth = pattern.includes('**') ? Infinity : pattern.split('/').length;
  const out: string[] = [];
  const visit = (dir: string, rel: string, left: number) => {
    if (left <= 0) return;
    for (const entry of listFolder(dir)) {
      if (entry.name.startsWith('.')) continue;
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const abs = join(dir, entry.name);
      if (isMatch(childRel) && accepts(target, entry, abs)) out.push(childRel);
      if (entry.isDirectory()) visit(abs, childRel, left - 1);
    }
  };
  visit(base, '', depth);
  return out.sort();
}

/** The absolute paths `path` names: itself when it holds no glob syntax, else its matches (see matchUnder). */
export function expandGlob(path: string, target: GlobTarget): string[] {
  const { base, pattern } = splitGlob(path);
  if (pattern === '') return [path];
  return matchUnder(base, pattern, target).map((rel) => join(base, rel));
}

/** A folder's entries; none when it is gone or not a folder; TP_CONFIG when it cannot be read (a match would be missed). */
function listFolder(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw configError(`cannot list the folder ${dir} (${code ?? String(err)})`, {
      hint: 'A glob reads every folder below its base; make this one readable or narrow the glob.',
    });
  }
}

/** Whether a matched entry is one `target` takes, a link judged by what it points to (a dangling link is nothing). */
function accepts(target: GlobTarget, entry: Dirent, abs: string): boolean {
  if (!entry.isSymbolicLink()) return target === 'entries' || entry.isFile();
  try {
    const pointsTo = statSync(abs);
    return target === 'entries' || pointsTo.isFile();
  } catch {
    return false;
  }
}
