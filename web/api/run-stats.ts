import type { ItemStats, RunRecord, Store } from '../../engine/cache/types.ts';

/** How stale a live run's per-stage counts may be: the runner itself refreshes a run's summary about once a second. */
const LIVE_MAX_AGE_MS = 250;
const MAX_RUNS = 64;

/**
 * Per-stage item counts of runs, shared by every request of one server. Counting a
 * big run's items takes milliseconds (about 6 ms for 20,000 items), so a finished
 * run is counted once and a live one at most every 250 ms, however many clients poll.
 */
export class RunStatsMemo {
  private readonly entries = new Map<string, { version: string; at: number; stats: ItemStats[] }>();

  constructor(private readonly store: Store) {}

  get(run: RunRecord, now = Date.now()): ItemStats[] {
    const version = `${run.status}\u0000${run.endedAt ?? ''}`;
    const hit = this.entries.get(run.id);
    if (hit !== undefined && hit.version === version && (run.status !== 'running' || now - hit.at < LIVE_MAX_AGE_MS)) return hit.stats;
    const stats = this.store.itemStats(run.id);
    this.entries.delete(run.id);
    this.entries.set(run.id, { version, at: now, stats });
    if (this.entries.size > MAX_RUNS) this.entries.delete(this.entries.keys().next().value!);
    return stats;
  }
}
