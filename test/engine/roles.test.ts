import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../engine/cache/memory.ts';
import { loadPipeline } from '../../engine/config/index.ts';
import { bindRoles } from '../../engine/roles.ts';
import { executeRun, planRun, takeSnapshot } from '../../engine/run/index.ts';
import { defineStage, type StageRegistry } from '../../engine/stage.ts';
import { testRegistry } from '../helpers/test-stages.ts';
import { makeWorkspace } from '../helpers/workspace.ts';
import { writeFileSync } from 'node:fs';

/** Stages that meet by role only: their node ids below are never the role names. */
const registry = {
  ...testRegistry,
  words: defineStage<Record<string, never>, Record<never, never>, { words: string[] }>({
    name: 'words',
    version: '1',
    kind: 'map',
    options: z.strictObject({}),
    consumes: [],
    produces: 'words',
    run: (ctx) => ({ words: readFileSync(ctx.source.item('input.txt'), 'utf8').trim().split(' ') }),
  }),
  count: defineStage<Record<string, never>, { words: { words: string[] } }, { n: number }>({
    name: 'count',
    version: '1',
    kind: 'map',
    options: z.strictObject({}),
    consumes: ['words'],
    produces: 'count',
    estimate: (ctx) => ({ 'words.seen': ctx.upstream.words.output.words.length }),
    run: (ctx) => ({ n: ctx.upstream.words.output.words.length }),
  }),
  report: defineStage<Record<string, never>, { words: { words: string[] }; count: { n: number } }, string[]>({
    name: 'report',
    version: '1',
    kind: 'aggregate',
    cache: false,
    options: z.strictObject({}),
    consumes: ['words', 'count'],
    run: (ctx) =>
      ctx.items.map(
        (e) =>
          `${e.item.id} ${e.upstream.words.stage}:${e.upstream.words.output.words.join('+')} ${e.upstream.count.stage}:${e.upstream.count.output.n} ${e.upstream.count.key.length}`,
      ),
  }),
} satisfies StageRegistry;

function load(stages: string, ws = makeWorkspace(2)) {
  writeFileSync(join(ws.dir, 'p.yaml'), `name: roles\nsessions: {path: sessions/*}\nstages:\n${stages}`);
  return { ws, result: loadPipeline(join(ws.dir, 'p.yaml'), { registry, env: {}, cwd: ws.dir }) };
}

describe('stages get their upstream by role', () => {
  it('plan hands an estimate its upstream by role too', async () => {
    const { ws, result } = load(
      '  tokens: {uses: words}\n  tally: {uses: count, needs: tokens}\n',
      makeWorkspace(3, (i) => `a ${'b '.repeat(i)}`),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const store = new MemoryStore();
    const { files } = takeSnapshot(result.pipeline, registry, {});
    expect((await executeRun({ pipeline: result.pipeline, registry, store, files, snapshot: {}, env: {} })).status).toBe('succeeded');
    const bumped = { ...registry, count: { ...registry.count, version: '2' } };
    const plan = planRun(result.pipeline, bumped, store, files, ws.dir);
    expect(plan.map((p) => [p.stage, p.cached, p.toRun, p.estimate])).toEqual([
      ['tokens', 3, 0, {}],
      ['tally', 0, 3, { 'words.seen': 1 + 2 + 3 }],
    ]);
  });

  it('the aggregate sees each role under the producing stage id, with its key', async () => {
    const { result } = load(
      '  tokens: {uses: words}\n  tally: {uses: count, needs: tokens}\n  all: {uses: report, needs: [tally, tokens]}\n',
      makeWorkspace(2, (i) => `a b ${'c '.repeat(i)}`),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const { files } = takeSnapshot(result.pipeline, registry, {});
    const outputs: unknown[] = [];
    const spy = {
      ...registry,
      report: { ...registry.report, run: (ctx: Parameters<typeof registry.report.run>[0]) => (outputs.push(registry.report.run(ctx)), null) },
    };
    await executeRun({ pipeline: result.pipeline, registry: spy, store: new MemoryStore(), files, snapshot: {}, env: {} });
    expect(outputs).toEqual([['s00000 tokens:a+b tally:2 64', 's00001 tokens:a+b+c tally:3 64']]);
  });

  it('a stage that declares no role stands in for the one role left', () => {
    // transform (no roles) between words and count: count takes its output as "words"
    expect(bindRoles(['words'], [{ need: 'shout', produces: undefined }])).toEqual({ bound: { words: 'shout' }, problems: [] });
    expect(bindRoles(['words', 'count'], [{ need: 'x', produces: undefined }])).toEqual({
      bound: {},
      problems: [
        { kind: 'untyped', need: 'x', open: ['words', 'count'] },
        { kind: 'missing', role: 'words' },
        { kind: 'missing', role: 'count' },
      ],
    });
    expect(bindRoles(undefined, [{ need: 'a', produces: 'words' }])).toEqual({ bound: {}, problems: [] });
  });
});
