/**
 * Engine overhead: 5 trivial map stages over N sessions (default 10,000), cold and
 * no-op rerun, against the same work as plain function calls; peak RSS, and RSS at
 * 1k vs 10k sessions. Prints numbers; asserts nothing.
 *
 *   node --import tsx bench/engine/run.ts [--sessions 10000] [--child]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';
import { executeRun, SnapshotFiles } from '../../engine/run/index.ts';
import { defineStage, type StageRegistry } from '../../engine/stage.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i === -1 ? dflt : Number(args[i + 1]);
};

const work = (input: { n: number }) => ({ n: (input.n * 31 + 7) % 1000003 });
const first = defineStage({ name: 'first', version: '1', kind: 'map', options: z.object({}), run: (ctx) => work({ n: ctx.item.id.length }) });
const step = defineStage({
  name: 'step',
  version: '1',
  kind: 'map',
  options: z.object({}),
  run: (ctx) => work(ctx.inputs[ctx.node.needs[0]!] as { n: number }),
});
const registry: StageRegistry = { first, step };

function makeSessions(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-engine-'));
  for (let i = 0; i < n; i++) {
    const d = join(dir, 'sessions', `s${String(i).padStart(6, '0')}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'input.txt'), `session ${i}`);
  }
  return dir;
}

function pipelineFor(dir: string): ResolvedPipeline {
  const stages: StageNode[] = [{ id: 's1', uses: 'first', needs: [], with: {} }];
  for (let i = 2; i <= 5; i++) stages.push({ id: `s${i}`, uses: 'step', needs: [`s${i - 1}`], with: {} });
  return {
    file: join(dir, 'bench.yaml'),
    dir,
    name: 'bench',
    variant: null,
    sessions: { path: join(dir, 'sessions/*') },
    concurrency: 8,
    outDir: join(dir, 'out'),
    cacheDir: join(dir, '.tracepipe'),
    models: {},
    actionToolMaps: {},
    stages,
  };
}

async function child(n: number): Promise<void> {
  const dir = makeSessions(n);
  const pipeline = pipelineFor(dir);
  const store = new SqliteStore(join(pipeline.cacheDir, 'cache.db'));
  const files = new SnapshotFiles(new Map());
  const time = async () => {
    const t = performance.now();
    const r = await executeRun({ pipeline, registry, store, files, snapshot: {}, env: {} });
    if (r.status !== 'succeeded') throw new Error(`run ${r.status}`);
    return performance.now() - t;
  };
  const cold = await time();
  const rerun = [await time(), await time(), await time()].sort((a, b) => a - b)[1]!;
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    let v = work({ n: `s${i}`.length });
    for (let s = 2; s <= 5; s++) v = work(v);
  }
  const plain = performance.now() - t;
  const results = n * 5;
  console.log(
    JSON.stringify({
      sessions: n,
      results,
      coldMs: Math.round(cold),
      noopRerunMs: Math.round(rerun),
      coldUsPerResult: Math.round((cold * 1000) / results),
      rerunUsPerResult: Math.round((rerun * 1000) / results),
      plainCallsMs: Number(plain.toFixed(2)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
  store.close();
}

if (args.includes('--child')) await child(arg('--sessions', 10_000));
else {
  console.log('tracepipe engine bench: 5 trivial map stages; cold = empty cache; rerun = median of 3 no-op reruns');
  for (const n of [1000, arg('--sessions', 10_000)]) {
    const out = execFileSync(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), new URL(import.meta.url).pathname, '--child', '--sessions', String(n)],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!);
    console.log(
      `${String(r.sessions).padStart(6)} sessions (${r.results} results): cold ${(r.coldMs / 1000).toFixed(2)} s (${r.coldUsPerResult} µs/result), no-op rerun ${(r.noopRerunMs / 1000).toFixed(2)} s (${r.rerunUsPerResult} µs/result), plain calls ${r.plainCallsMs} ms, peak RSS ${r.peakRssMb} MB`,
    );
  }
}
