import { join } from 'node:path';

/** The cache folder a pipeline or command uses when none is named, relative to the working folder. */
export const DEFAULT_CACHE_DIR = '.tracepipe';

/** The name of the SQLite file inside a cache folder. */
export const CACHE_FILE_NAME = 'cache.db';

/** The SQLite file of the cache folder `dir`. */
export function cacheFileIn(dir: string): string {
  return join(dir, CACHE_FILE_NAME);
}
