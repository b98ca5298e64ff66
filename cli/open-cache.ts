import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteStore } from '../engine/cache/sqlite.ts';
import { folderProblem } from '../engine/config/rules/folders.ts';
import { TracepipeError } from '../engine/errors.ts';
import { cacheFile, type Io } from './io.ts';

/** The cache of a command that takes no pipeline (--cache, $TRACEPIPE_CACHE, ./.tracepipe), created when missing. */
export function openCache(io: Io, cacheDir: string | undefined): SqliteStore {
  const file = usableCacheFile(io, cacheDir);
  return new SqliteStore(file);
}

/**
 * The same cache for a command that only reads (runs, status, review list, gc --dry-run,
 * compare, report): undefined when there is none yet, so looking never creates one.
 */
export function openExistingCache(io: Io, cacheDir: string | undefined): { store: SqliteStore | undefined; file: string } {
  const file = usableCacheFile(io, cacheDir);
  return { store: existsSync(file) ? new SqliteStore(file) : undefined, file };
}

function usableCacheFile(io: Io, cacheDir: string | undefined): string {
  const file = cacheFile(io, cacheDir);
  const problem = folderProblem(dirname(file));
  if (problem !== undefined) {
    throw new TracepipeError('TP_CACHE', `the cache folder ${dirname(file)} ${problem}`, {
      hint: 'Pass --cache <folder> (or set TRACEPIPE_CACHE) to a folder; the default is .tracepipe in the working folder.',
    });
  }
  return file;
}
