import type { SqliteStore } from '../engine/cache/sqlite.ts';
import type { RunRecord, Store } from '../engine/cache/types.ts';
import { inputError } from '../engine/errors.ts';
import type { Io } from './io.ts';
import { openExistingCache } from './open-cache.ts';

const NO_RUNS_HINT = 'Run a pipeline first (tracepipe exec <pipeline.yaml>), or point --cache at the folder that holds its cache.';

/**
 * The run a command names: an id, or `latest` (or nothing) for the newest run. Every
 * command that takes a run (status, report, resume, compare, review --run) reads it here.
 */
export function findRun(store: Store, cacheFile: string, ref: string | undefined): RunRecord {
  const latest = ref === undefined || ref === 'latest';
  const run = latest ? store.listRuns(1)[0] : store.getRun(ref);
  if (run !== undefined) return run;
  if (latest) throw inputError(`no runs yet in ${cacheFile}`, { hint: NO_RUNS_HINT });
  throw inputError(`no run ${ref} in ${cacheFile}`, { hint: 'list runs with `tracepipe runs`.' });
}

/** The existing cache and the run `ref` names in it; TP_INPUT (and no cache created) when either is missing. */
export function openRun(io: Io, cacheDir: string | undefined, ref: string | undefined): { store: SqliteStore; run: RunRecord } {
  const { store, file } = openExistingCache(io, cacheDir);
  if (store === undefined) throw inputError(`no runs yet in ${file}`, { hint: NO_RUNS_HINT });
  try {
    return { store, run: findRun(store, file, ref) };
  } catch (err) {
    store.close();
    throw err;
  }
}
