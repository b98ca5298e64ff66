import type { SqliteStore } from '../engine/cache/sqlite.ts';
import type { RunRecord, Store } from '../engine/cache/types.ts';
import { inputError } from '../engine/errors.ts';
import { lookupRun, namesLatest, noRunMessage } from '../app/run-lookup.ts';
import type { Io } from './io.ts';
import { openExistingCache } from './open-cache.ts';

const NO_RUNS_HINT = 'Run a pipeline first (tracepipe exec <pipeline.yaml>), or point --cache at the folder that holds its cache.';

/**
 * The run a command names: an id, or `latest` (or nothing) for the newest run. Every
 * command that takes a run (status, report, resume, compare, review --run) reads it here.
 */
export function findRun(store: Store, cacheFile: string, ref: string | undefined): RunRecord {
  const run = lookupRun(store, ref);
  if (run !== undefined) return run;
  throw inputError(noRunMessage(ref, cacheFile), { hint: namesLatest(ref) ? NO_RUNS_HINT : 'list runs with `tracepipe runs`.' });
}

/** The existing cache and the run `ref` names in it; TP_INPUT (and no cache created) when either is missing. */
export function openRun(io: Io, cacheDir: string | undefined, ref: string | undefined): { store: SqliteStore; run: RunRecord } {
  const { store, file } = openExistingCache(io, cacheDir);
  if (store === undefined) throw inputError(noRunMessage(undefined, file), { hint: NO_RUNS_HINT });
  try {
    return { store, run: findRun(store, file, ref) };
  } catch (err) {
    store.close();
    throw err;
  }
}
