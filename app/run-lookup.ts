import type { RunRecord, Store } from '../engine/cache/types.ts';

/**
 * How the CLI and the API find a run and word its absence. A person names a run by id, or
 * by `latest` (or nothing) for the newest one; the API takes ids only.
 */

/** The run `ref` names: its id, or the newest run for `latest` or no ref; undefined when there is none. */
export function lookupRun(store: Pick<Store, 'getRun' | 'listRuns'>, ref: string | undefined): RunRecord | undefined {
  return namesLatest(ref) ? store.listRuns(1)[0] : store.getRun(ref);
}

export function namesLatest(ref: string | undefined): ref is undefined | 'latest' {
  return ref === undefined || ref === 'latest';
}

/**
 * The one wording for a run a cache does not hold: `no run <id> in <where>`, or for
 * `latest` (or no ref: the cache holds no run at all) `no runs yet in <where>`. `where`
 * names the cache: its file at a terminal, `this cache` in API answers, which show no paths.
 */
export function noRunMessage(ref: string | undefined, where: string): string {
  return namesLatest(ref) ? `no runs yet in ${where}` : `no run ${ref} in ${where}`;
}
