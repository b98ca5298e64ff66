import type { ItemStats } from '../cache/types.ts';

/** One stage's line in a run's table: what its recorded items came to, and the time they took. */
export interface StageRow {
  stage: string;
  /** Items recorded for the stage so far. */
  recorded: number;
  ran: number;
  cached: number;
  failed: number;
  skipped: number;
  busyMs: number;
}

/**
 * Folds a run's grouped item stats into one row per stage, in the given order; stages
 * with records but not in the order (a config that changed) come last.
 */
export function stageRows(order: readonly string[], stats: readonly ItemStats[]): StageRow[] {
  const stages = [...order, ...new Set(stats.map((s) => s.stageId).filter((s) => !order.includes(s)))];
  return stages.map((stage) => {
    const mine = stats.filter((s) => s.stageId === stage);
    const count = (pred: (s: ItemStats) => boolean) => mine.filter(pred).reduce((n, s) => n + s.n, 0);
    return {
      stage,
      recorded: count(() => true),
      ran: count((s) => s.status === 'succeeded' && !s.cacheHit),
      cached: count((s) => s.status === 'succeeded' && s.cacheHit),
      failed: count((s) => s.status === 'failed'),
      skipped: count((s) => s.status === 'skipped'),
      busyMs: Math.round(mine.reduce((n, s) => n + s.durationMs, 0)),
    };
  });
}
