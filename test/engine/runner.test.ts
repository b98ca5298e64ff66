import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../engine/cache/memory.ts';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';
import { executeRun, planRun, SnapshotFiles, takeSnapshot } from '../../engine/run/index.ts';
import type { RunEvent } from '../../engine/run/index.ts';
import { testRegistry } from '../helpers/test-stages.ts';
import { makeWorkspace, workspacePipeline } from '../helpers/workspace.ts';

const pipeline = workspacePipeline;

const node = (id: string, uses: string, needs: string[] = [], w: Record<string, unknown> = {}, extra: Partial<StageNode> = {}): StageNode => ({
  id,
  uses,
  needs,
  with: (testRegistry as Record<string, { options: { parse(v: unknown): unknown } }>)[uses]!.options.parse(w) as Record<string, unknown>,
  ...extra,
});

async function run(p: ResolvedPipeline, store: MemoryStore, events: RunEvent[] = []) {
  const { files } = takeSnapshot(p, testRegistry, {});
  return executeRun({ pipeline: p, registry: testRegistry, store, files, snapshot: {}, env: {}, listeners: [(e) => events.push(e)] });
}

const ran = (events: RunEvent[], stage: string) => events.filter((e) => e.type === 'item:done' && e.stage === stage && !e.cacheHit).length;

describe('runner', () => {
  it('runs every item through map stages, then the aggregate, and reuses everything on a rerun', async () => {
    const ws = makeWorkspace(5);
    const store = new MemoryStore();
    const p = pipeline(ws, [node('read', 'read-text'), node('up', 'transform', ['read'], { upper: true }), node('all', 'collect', ['up'])]);
    const e1: RunEvent[] = [];
    const r1 = await run(p, store, e1);
    expect(r1.status).toBe('succeeded');
    expect(ran(e1, 'read')).toBe(5);
    expect(readFileSync(join(ws.dir, 'out/all.txt'), 'utf8')).toContain('s00003\tITEM 3');
    const e2: RunEvent[] = [];
    const r2 = await run(p, store, e2);
    expect(r2.status).toBe('succeeded');
    expect(ran(e2, 'read') + ran(e2, 'up')).toBe(0);
    expect(r2.summary.stages.up!.cached).toBe(5);
    // the side-effect stage always runs
    expect(ran(e2, 'all')).toBe(1);
  });

  it('fails only the bad item, skips its downstream with the reason, and still aggregates the rest', async () => {
    const ws = makeWorkspace(4, (i) => (i === 2 ? 'FAIL please' : `item ${i}`));
    const store = new MemoryStore();
    const p = pipeline(ws, [node('read', 'read-text'), node('up', 'transform', ['read']), node('all', 'collect', ['up'])]);
    const events: RunEvent[] = [];
    const r = await run(p, store, events);
    expect(r.status).toBe('failed');
    expect(r.summary.failures).toHaveLength(1);
    expect(r.summary.failures[0]).toMatchObject({
      stage: 'read',
      item: 's00002',
      error: { code: 'TP_INPUT', hint: 'Remove FAIL from the first line of the file.' },
    });
    const skipped = events.find((e) => e.type === 'item:skipped');
    expect(skipped).toMatchObject({ stage: 'up', item: 's00002', reason: { kind: 'upstream-failed', stage: 'read' } });
    expect(readFileSync(join(ws.dir, 'out/all.txt'), 'utf8').trim().split('\n')).toHaveLength(3);
    const items = store.runItems(r.runId, { status: 'failed' });
    expect(items[0]!.error?.message).toContain('the item asks to fail');
    expect(items[0]!.attempts).toBe(1);
    // the same input failing again is the item's second attempt
    const again = await run(p, store);
    expect(store.runItems(again.runId, { status: 'failed' })[0]!.attempts).toBe(2);
  });

  it('does not recompute a stage whose upstream output came out byte-identical', async () => {
    const ws = makeWorkspace(3);
    const store = new MemoryStore();
    const a = pipeline(ws, [node('read', 'read-text'), node('t1', 'transform', ['read'], { suffix: '' }), node('t2', 'transform', ['t1'], { suffix: '!' })]);
    await run(a, store);
    // t1 gets a new option that changes nothing in its output: t2 stays cached.
    const b = pipeline(ws, [
      node('read', 'read-text'),
      node('t1', 'transform', ['read'], { suffix: '', delayMs: 1 }),
      node('t2', 'transform', ['t1'], { suffix: '!' }),
    ]);
    const events: RunEvent[] = [];
    await run(b, store, events);
    expect(ran(events, 't1')).toBe(3);
    expect(ran(events, 't2')).toBe(0);
  });

  it('shares upstream results between two variants that differ only in the last stage', async () => {
    const ws = makeWorkspace(6);
    const store = new MemoryStore();
    const stages = (suffix: string) => [
      node('read', 'read-text'),
      node('up', 'transform', ['read'], { upper: true }),
      node('last', 'transform', ['up'], { suffix }),
    ];
    const ea: RunEvent[] = [];
    const eb: RunEvent[] = [];
    await run(pipeline(ws, stages('-a'), { variant: 'a' }), store, ea);
    await run(pipeline(ws, stages('-b'), { variant: 'b' }), store, eb);
    expect(ran(ea, 'read') + ran(eb, 'read')).toBe(6);
    expect(ran(ea, 'up') + ran(eb, 'up')).toBe(6);
    expect(ran(ea, 'last') + ran(eb, 'last')).toBe(12);
  });

  it('puts prompt text and model settings in the key', async () => {
    const ws = makeWorkspace(2);
    const prompt = join(ws.dir, 'prompt.txt');
    writeFileSync(prompt, 'Say: {{text}}');
    const store = new MemoryStore();
    const stages = (temperature: number) => [
      node('read', 'read-text'),
      node('tpl', 'template', ['read'], {}, { prompt, model: { name: 'm', config: { provider: 'x', temperature } } }),
    ];
    await run(pipeline(ws, stages(0)), store);
    const e1: RunEvent[] = [];
    await run(pipeline(ws, stages(0.2)), store, e1);
    expect(ran(e1, 'tpl')).toBe(2);
    writeFileSync(prompt, 'Please say: {{text}}');
    const e2: RunEvent[] = [];
    await run(pipeline(ws, stages(0.2)), store, e2);
    expect(ran(e2, 'tpl')).toBe(2);
    expect(ran(e2, 'read')).toBe(0);
  });

  it('re-runs downstream stages when a person annotates an upstream result', async () => {
    const ws = makeWorkspace(2);
    const store = new MemoryStore();
    const p = pipeline(ws, [node('read', 'read-text'), node('up', 'transform', ['read'])]);
    const r1 = await run(p, store);
    const key = store.runItems(r1.runId, { stageId: 'read' })[0]!.key!;
    store.addAnnotation({ subjectKey: key, kind: 'review', payload: { decision: 'accept' }, createdAt: new Date().toISOString() });
    const files = new SnapshotFiles(new Map());
    // plan builds keys the way the runner does: it sees the decision before the run, and nothing after
    const before = planRun(p, testRegistry, store, files).find((s) => s.stage === 'up')!;
    expect(before).toMatchObject({ cached: 1, toRun: 1, reasons: { 'review decisions changed': 1 } });
    const events: RunEvent[] = [];
    await run(p, store, events);
    expect(ran(events, 'read')).toBe(0);
    expect(ran(events, 'up')).toBe(1);
    expect(planRun(p, testRegistry, store, files).every((s) => s.toRun === 0)).toBe(true);
  });

  it('stops scheduling when aborted and records the run as interrupted', async () => {
    const ws = makeWorkspace(20);
    const store = new MemoryStore();
    const p = pipeline(ws, [node('read', 'read-text', [], { delayMs: 20 })], { concurrency: 2 });
    const ac = new AbortController();
    const files = new SnapshotFiles(new Map());
    setTimeout(() => ac.abort(), 50);
    const r = await executeRun({ pipeline: p, registry: testRegistry, store, files, snapshot: {}, env: {}, signal: ac.signal });
    expect(r.status).toBe('interrupted');
    expect(r.summary.stages.read!.done).toBeLessThan(20);
    expect(store.getRun(r.runId)!.status).toBe('interrupted');
  });
});
