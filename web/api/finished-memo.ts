import type { RunRecord } from '../../engine/cache/types.ts';

const MAX_ENTRIES = 32;

/**
 * Remembers what was computed from finished runs, whose recorded outputs no longer
 * change (a running run is always recomputed). Loading every example of a big run
 * takes a while; a review page or a comparison asks for the same run again and again.
 */
export class FinishedRunMemo<T> {
  private readonly entries = new Map<string, T>();

  get(runs: RunRecord[], compute: () => T): T {
    if (runs.some((r) => r.status === 'running')) return compute();
    const key = runs.map((r) => `${r.id}\u0000${r.status}\u0000${r.endedAt ?? ''}`).join('\u0001');
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    this.entries.set(key, value);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
