import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { expandFilePattern } from '../run/files.ts';
import type { FileSet } from '../stage.ts';

/**
 * The files a stage declares in `keyFiles`, read from disk on demand; globs are
 * expanded as a run expands them. Used for validation-time `check()`, before any
 * run snapshot exists.
 */
export function diskFileSet(dir: string, declared: readonly string[]): FileSet {
  const paths = [...new Set(declared.flatMap((p) => expandFilePattern(resolve(dir, p)).filter(isFile)))].sort();
  return { read: (p) => readFileSync(p, 'utf8'), paths: () => [...paths] };
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
