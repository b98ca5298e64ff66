import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { FileSet } from '../stage.ts';

const GLOB_CHARS = /[*?[\]{}!]/;

/**
 * The files a stage declares in `keyFiles`, read from disk on demand; globs are
 * expanded. Used for validation-time `check()`, before any run snapshot exists.
 */
export function diskFileSet(dir: string, declared: readonly string[]): FileSet {
  const paths = [...new Set(declared.flatMap((p) => expand(resolve(dir, p))))].sort();
  return { read: (p) => readFileSync(p, 'utf8'), paths: () => [...paths] };
}

function expand(abs: string): string[] {
  if (!GLOB_CHARS.test(abs)) return isFile(abs) ? [abs] : [];
  const segments = abs.split('/');
  const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
  const base = segments.slice(0, firstGlob).join('/') || '/';
  const match = picomatch(abs, { dot: false });
  return walk(base).filter((f) => match(f));
}

function walk(dir: string, depth = 0): string[] {
  if (depth > 20) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const full = join(dir, name);
    try {
      const st = statSync(full);
      return st.isDirectory() ? walk(full, depth + 1) : st.isFile() ? [full] : [];
    } catch {
      return [];
    }
  });
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
