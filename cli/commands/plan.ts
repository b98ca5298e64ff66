import { planRun, takeSnapshot } from '../../engine/run/index.ts';
import { EXIT, type Io } from '../io.ts';
import { loadValid, readStoreFor } from '../open-pipeline.ts';
import { table } from '../reporters/summary.ts';

export function planCommand(io: Io, file: string, args: { variant?: string; set?: string[]; json?: boolean; items?: boolean }): number {
  const loaded = loadValid(io, file, { variant: args.variant ?? null, set: args.set ?? [] });
  const { files } = takeSnapshot(loaded.pipeline, io.registry, loaded.raw);
  const store = readStoreFor(loaded.pipeline);
  try {
    const plans = planRun(loaded.pipeline, io.registry, store, files, io.cwd);
    if (args.json) {
      io.out(JSON.stringify({ pipeline: loaded.pipeline.file, variant: loaded.pipeline.variant, stages: plans }, null, 2));
      return EXIT.ok;
    }
    const rows = plans.map((p) => [p.stage, String(p.total), String(p.cached), String(p.toRun), formatReasons(p.reasons)]);
    io.out(table(['stage', 'items', 'cached', 'run', 'why'], rows));
    if (args.items) {
      for (const p of plans) for (const i of p.items) io.out(`  ${p.stage} ${i.item}: ${i.reasons.join('; ')}`);
    }
    for (const p of plans) {
      if (Object.keys(p.estimate).length === 0 && p.unestimated === 0) continue;
      // `~` marks an estimate; exact counts (model calls) are printed as they are.
      const parts = Object.entries(p.estimate).map(
        ([k, v]) => `${k} ${p.exact.includes(k) ? '' : '~'}${Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v) : Number(v.toPrecision(3))}`,
      );
      io.out(
        `estimate ${p.stage}: ${parts.join(', ') || 'nothing'}${p.unestimated > 0 ? ` (+${p.unestimated} session${p.unestimated === 1 ? '' : 's'} not estimated: an upstream stage runs first)` : ''}`,
      );
    }
    const total = plans.reduce((n, p) => n + p.toRun, 0);
    const failing = plans.reduce((n, p) => n + p.failing, 0);
    io.out(total === 0 ? '\nnothing to run: every result is cached' : `\n${total} stage result${total === 1 ? '' : 's'} would be computed`);
    if (failing > 0) io.out(`${failing} item${failing === 1 ? '' : 's'} would fail without running (see --items)`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

function formatReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} (${n})`)
    .join('; ');
}
