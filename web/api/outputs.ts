import { TracepipeError } from '../../engine/errors.ts';
import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { synthesizedExamples } from '../../app/run-examples.ts';
import { runOutputs } from '../../engine/run/index.ts';
import type { Example } from '../../domain/example/index.ts';
import { notFound } from './errors.ts';
import type { FinishedRunMemo } from './finished-memo.ts';
import { snapshotStages } from './run-view.ts';

/** How far back "the latest run that has it" looks. */
const RUNS_SEARCHED = 200;

/** Stage ids of a run's pipeline that use a given stage (`synthesize`, `normalize`). */
export function stageIdsUsing(run: RunRecord, uses: string): string[] {
  return snapshotStages(run.snapshot).flatMap((s) => (s.uses === uses ? [s.id] : []));
}

/** One item's output from the stage that uses `uses` in a run (read by key, without loading the others). */
export function itemOutput(store: Store, run: RunRecord, uses: string, item: string): unknown {
  for (const stageId of stageIdsUsing(run, uses)) {
    const ri = store.runItems(run.id, { stageId, item, status: 'succeeded', limit: 1 })[0];
    const result = ri?.key ? store.getResult(ri.key) : undefined;
    const text = result === undefined ? undefined : store.getOutput(result.outputHash);
    if (text !== undefined) return JSON.parse(text);
  }
  return undefined;
}

/** Every example a run synthesized (or found cached). */
export function runExamples(store: Store, run: RunRecord): Example[] {
  try {
    return synthesizedExamples(store, run);
  } catch (err) {
    if (err instanceof TracepipeError) throw notFound(err.message);
    throw err;
  }
}

/** Which item (session folder) made each example of a run, by example id and by session id. */
export type ExampleIndex = Map<string, string>;

function exampleIndex(store: Store, run: RunRecord): ExampleIndex {
  const index: ExampleIndex = new Map();
  try {
    for (const o of runOutputs(store, run, 'synthesize')) {
      const e = o.output as Example;
      index.set(e.id, o.item);
      if (!index.has(e.sessionId)) index.set(e.sessionId, o.item);
    }
  } catch (err) {
    if (!(err instanceof TracepipeError)) throw err;
  }
  return index;
}

/**
 * An example by id (or session id) in the given run, or else in the newest run that
 * has it, with the item (session folder) that made it. Example ids are item ids whenever the session's id and folder agree, so the
 * lookup reads one item; otherwise it goes through the run's example index (built
 * once per finished run).
 */
export function findExample(
  store: Store,
  exampleId: string,
  run: RunRecord | undefined,
  indexes: FinishedRunMemo<ExampleIndex>,
): { run: RunRecord; example: Example; item: string } {
  const candidates = run !== undefined ? [run] : store.listRuns(RUNS_SEARCHED).filter((r) => stageIdsUsing(r, 'synthesize').length > 0);
  for (const r of candidates) {
    const direct = itemOutput(store, r, 'synthesize', exampleId) as Example | undefined;
    if (direct?.id === exampleId) return { run: r, example: direct, item: exampleId };
  }
  const first = candidates[0];
  if (first !== undefined) {
    const item = indexes.get([first], () => exampleIndex(store, first)).get(exampleId);
    const found = item === undefined ? undefined : (itemOutput(store, first, 'synthesize', item) as Example | undefined);
    if (item !== undefined && found !== undefined && (found.id === exampleId || found.sessionId === exampleId)) return { run: first, example: found, item };
  }
  throw notFound(run !== undefined ? `no example ${exampleId} in run ${run.id}` : `no run has an example ${exampleId}`);
}

/** The newest run whose pipeline synthesizes examples: what the review queue shows by default. */
export function latestExampleRun(store: Store): RunRecord {
  const run = store.listRuns(RUNS_SEARCHED).find((r) => stageIdsUsing(r, 'synthesize').length > 0);
  if (run === undefined) throw notFound('no run has synthesized examples yet');
  return run;
}
