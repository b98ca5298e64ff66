import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { expandFilePattern, readFilesFromDisk, SnapshotFiles } from '../run/files.ts';
import type { FileSet } from '../stage.ts';

/**
 * The files a stage declares in `keyFiles`, read from disk with globs expanded as a
 * run expands them, in the same FileSet a run uses: a validation-time `check()` can
 * read exactly what the stage will be able to read when it runs, and nothing else.
 */
export function diskFileSet(dir: string, declared: readonly string[]): FileSet {
  const paths = new Set(declared.flatMap((p) => expandFilePattern(resolve(dir, p)).filter(isFile)));
  return new SnapshotFiles(readFilesFromDisk(paths));
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
