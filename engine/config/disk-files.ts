import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { expandGlob } from '../glob.ts';
import { readFilesFromDisk, SnapshotFiles } from '../run/files.ts';
import type { FileSet } from '../stage.ts';

/**
 * The files a stage declares in `keyFiles`, read from disk with globs expanded as a
 * run expands them, in the same FileSet a run uses: a validation-time `check()` can
 * read exactly what the stage will be able to read when it runs, and nothing else.
 */
export function diskFileSet(dir: string, declared: readonly string[]): FileSet {
  const paths = new Set(declared.flatMap((p) => expandGlob(resolve(dir, p), 'files').filter(isFile)));
  return new SnapshotFiles(readFilesFromDisk(paths));
}

/**
 * Why `path` cannot be read as a file, in words that fit after its name ("not found",
 * "is a folder, not a file", ...), or undefined when it is a regular file.
 */
export function fileProblem(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (st.isFile()) return undefined;
    return st.isDirectory() ? 'is a folder, not a file' : 'is not a regular file (a device, socket or pipe?)';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'not found';
    if (code === 'ENOTDIR') return 'not found (a part of its path is a file, not a folder)';
    return `cannot be read (${code ?? String(err)})`;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
