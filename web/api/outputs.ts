import { TracepipeError } from '../../engine/errors.ts';
import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { runOutputs } from '../../engine/run/index.ts';
import type { Example } from '../../stages/synthesize/index.ts';
import { notFound } from './errors.ts';

/** How far back "the latest run that has it" looks. */
const RUNS_SEARCHED = 200;

interface SnapshotLike {
  pipeline?: { stages?: { id?: unknown; uses?: unknown }[]; suite?: unknown };
  files?: Record<string, string>;
}

/** Stage ids of a run's pipeline that use a given stage (`synthesize`, `normalize`). */
export function stageIdsUsing(run: RunRecord, uses: string): string[] {
  const stages = (run.snapshot as SnapshotLike | null)?.pipeline?.stages;
  return Array.isArray(stages) ? stages.filter((s) => s?.uses === uses && typeof s.id === 'string').map((s) => s.id as string) : [];
}

/** The suite file text a run was made with, and its path, when the run recorded one. */
export function runSuite(run: RunRecord): { file: string; text: string } | undefined {
  const snap = run.snapshot as SnapshotLike | null;
  const file = snap?.pipeline?.suite;
  const text = typeof file === 'string' ? snap?.files?.[file] : undefined;
  return typeof file === 'string' && typeof text === 'string' ? { file, text } : undefined;
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
    return runOutputs(store, run.id, 'synthesize').map((o) => o.output as Example);
  } catch (err) {
    if (err instanceof TracepipeError) throw notFound(err.message);
    throw err;
  }
}

/**
 * An example by id in the given run, or else in the newest run that has it. Example ids
 * are session ids whenever that is safe, so the lookup reads one item; other ids are
 * looked for among the examples of the run.
 */
export function findExample(store: Store, exampleId: string, run: RunRecord | undefined): { run: RunRecord; example: Example } {
  const candidates = run !== undefined ? [run] : store.listRuns(RUNS_SEARCHED).filter((r) => stageIdsUsing(r, 'synthesize').length > 0);
  for (const r of candidates) {
    const direct = itemOutput(store, r, 'synthesize', exampleId) as Example | undefined;
    if (direct?.id === exampleId) return { run: r, example: direct };
  }
  const first = candidates[0];
  if (first !== undefined) {
    const found = runExamples(store, first).find((e) => e.id === exampleId || e.sessionId === exampleId);
    if (found !== undefined) return { run: first, example: found };
  }
  throw notFound(run !== undefined ? `no example ${exampleId} in run ${run.id}` : `no run has an example ${exampleId}`);
}

/** The newest run whose pipeline synthesizes examples: what the review queue shows by default. */
export function latestExampleRun(store: Store): RunRecord {
  const run = store.listRuns(RUNS_SEARCHED).find((r) => stageIdsUsing(r, 'synthesize').length > 0);
  if (run === undefined) throw notFound('no run has synthesized examples yet');
  return run;
}
