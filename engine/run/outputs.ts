import type { RunRecord, Store } from '../cache/types.ts';
import { readSnapshot } from './snapshot.ts';

/** The outputs a finished run produced (or found cached) for every stage node that uses `uses`, by item. */
export function runOutputs(store: Store, run: RunRecord, uses: string): { stageId: string; item: string; key: string; output: unknown }[] {
  const runId = run.id;
  const { snapshot } = readSnapshot(run.snapshot, runId);
  const nodes = snapshot.pipeline.stages.filter((s) => s.uses === uses);
  const out: { stageId: string; item: string; key: string; output: unknown }[] = [];
  for (const node of nodes) {
    for (const ri of store.runItems(runId, { stageId: node.id, status: 'succeeded' })) {
      if (ri.key === null) continue;
      const result = store.getResult(ri.key);
      const text = result === undefined ? undefined : store.getOutput(result.outputHash);
      if (text !== undefined) out.push({ stageId: node.id, item: ri.item, key: ri.key, output: JSON.parse(text) });
    }
  }
  return out;
}
