import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryStore } from '../../engine/cache/memory.ts';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';
import { executeRun, planRun, takeSnapshot, type RunEvent } from '../../engine/run/index.ts';
import { defineStage, type StageRegistry } from '../../engine/stage.ts';
import { testRegistry } from '../helpers/test-stages.ts';
import { makeWorkspace, workspacePipeline } from '../helpers/workspace.ts';

/** A map stage whose output text must differ between items, and a cached aggregate over what got through. */
const registry = {
  ...testRegistry,
  'unique-text': defineStage({
    name: 'unique-text',
    version: '1',
    kind: 'map',
    options: z.object({}),
    uniqueBy: (output) => (output as { text: string }).text,
    run: (ctx) => ({ text: (ctx.inputs.read as { text: string }).text }),
  }),
  'flag-file': defineStage({
    name: 'flag-file',
    version: '1',
    kind: 'map',
    options: z.object({}),
    run: (ctx) => {
      // The output is the same for every item; the file it writes is named after the item.
      ctx.outputs.write(`flags/${ctx.item.id}.json`, '{"flag":true}\n');
      return { flag: true };
    },
  }),
  tally: defineStage({
    name: 'tally',
    version: '1',
    kind: 'aggregate',
    options: z.object({}),
    run: (ctx) => ({ ok: ctx.items.map((e) => e.item.id), failed: ctx.failures.map((f) => `${f.item.id}@${f.stage}`) }),
  }),
} satisfies StageRegistry;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function pipelineWithFailures(): ResolvedPipeline {
  // s00001 and s00003 read the same text, so unique-text fails both; s00002's file asks read to fail.
  const ws = makeWorkspace(5, (i) => (i === 1 || i === 3 ? 'same' : i === 2 ? 'FAIL here' : `item ${i}`));
  dirs.push(ws.dir);
  const node = (id: string, uses: keyof typeof registry, needs: string[]): StageNode => ({
    id,
    uses,
    needs,
    with: registry[uses].options.parse({}) as Record<string, unknown>,
  });
  return workspacePipeline(
    ws,
    [node('read', 'read-text', []), node('unique', 'unique-text', ['read']), node('after', 'transform', ['unique']), node('tally', 'tally', ['after'])],
    { concurrency: 2 },
  );
}

async function exec(p: ResolvedPipeline, store: MemoryStore) {
  const events: RunEvent[] = [];
  const { files } = takeSnapshot(p, registry, {});
  const result = await executeRun({ pipeline: p, registry, store, files, snapshot: {}, env: {}, listeners: [(e) => events.push(e)] });
  return { result, events };
}

describe('plan agrees with the run it predicts', () => {
  it('after failures: the items a run will fail or skip are known from cached outputs, and the counts match the run', async () => {
    const p = pipelineWithFailures();
    const store = new MemoryStore();
    const first = await exec(p, store);
    expect(first.result.summary.stages.unique).toMatchObject({ done: 2, failed: 2 });
    expect(first.result.summary.stages.tally).toMatchObject({ done: 1 });

    const { files } = takeSnapshot(p, registry, {});
    const plan = Object.fromEntries(planRun(p, registry, store, files).map((s) => [s.stage, s]));
    // read fails again for s00002 (failures are never cached), the clash is known from the cached outputs
    expect(plan.read).toMatchObject({ cached: 4, toRun: 1, failing: 0, skipped: 0 });
    expect(plan.unique).toMatchObject({ cached: 2, toRun: 1, failing: 2, skipped: 0 });
    expect(plan.unique!.items.filter((i) => i.reasons[0]!.startsWith('fails:')).map((i) => i.item)).toEqual(['s00001', 's00003']);
    expect(plan.after).toMatchObject({ cached: 2, skipped: 2 });

    const second = await exec(p, store);
    expect(second.result.summary.stages.unique).toMatchObject({ cached: plan.unique!.cached, failed: plan.unique!.failing });
    // s00002 must run first, so the plan cannot know the aggregate's key: it says so rather than claim a hit
    expect(plan.tally).toMatchObject({ toRun: 1, reasons: { 'upstream after will run': 1 } });
    expect(second.result.summary.stages.after!.skipped).toBe(plan.after!.skipped + 1); // + s00002, whose read fails again when it runs
  });

  it('when every upstream result is cached, the aggregate plan and the run agree on a hit', async () => {
    const p = pipelineWithFailures();
    const store = new MemoryStore();
    // read succeeds everywhere, so only the clash fails and every upstream result of the aggregate is known
    writeFileSync(join(p.sessions.path.slice(0, -2), 's00002', 'input.txt'), 'item 2');
    await exec(p, store);
    const { files } = takeSnapshot(p, registry, {});
    const plan = Object.fromEntries(planRun(p, registry, store, files).map((s) => [s.stage, s]));
    expect(plan.tally).toMatchObject({ cached: 1, toRun: 0 });
    const second = await exec(p, store);
    expect(second.events.some((e) => e.type === 'item:done' && e.stage === 'tally' && e.cacheHit)).toBe(true);
    expect(second.result.summary.stages.unique).toMatchObject({ cached: 3, failed: 2 });
  });

  it('a uniqueness rule on the last stage still fails the clashing items, as plan says', async () => {
    const p = pipelineWithFailures();
    p.stages = p.stages.slice(0, 2); // read, unique: nothing after the stage whose values must be unique
    const store = new MemoryStore();
    const first = await exec(p, store);
    expect(first.result.summary.stages.unique).toMatchObject({ done: 2, failed: 2 });
    const { files } = takeSnapshot(p, registry, {});
    const plan = planRun(p, registry, store, files).find((s) => s.stage === 'unique')!;
    expect(plan).toMatchObject({ cached: 2, failing: 2 });
    const second = await exec(p, store);
    expect(second.result.summary.stages.unique).toMatchObject({ cached: 2, failed: 2 });
  });
});

describe('items never share a result', () => {
  it('two items with the same upstream output each run, and each writes its own file', async () => {
    const ws = makeWorkspace(3, () => 'same text');
    dirs.push(ws.dir);
    const node = (id: string, uses: keyof typeof registry, needs: string[]): StageNode => ({ id, uses, needs, with: {} });
    // One item at a time, so a later item's lookup sees the earlier items' stored results.
    const p = workspacePipeline(ws, [node('read', 'read-text', []), node('flag', 'flag-file', ['read'])], { concurrency: 1 });
    p.stages[0] = { ...p.stages[0]!, with: registry['read-text'].options.parse({}) as Record<string, unknown> };
    const store = new MemoryStore();
    const first = await exec(p, store);
    expect(first.result.summary.stages.read).toMatchObject({ done: 3, cached: 0 });
    expect(first.result.summary.stages.flag).toMatchObject({ done: 3, cached: 0 });
    expect(readdirSync(join(p.outDir, 'flags')).sort()).toEqual(['s00000.json', 's00001.json', 's00002.json']);
    const second = await exec(p, store);
    expect(second.result.summary.stages.flag).toMatchObject({ done: 0, cached: 3 });
  });
});
