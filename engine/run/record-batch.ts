import type { RunItemRecord, Store } from '../cache/types.ts';

const RECORD_BATCH = 500;
const SUMMARY_EVERY_MS = 1000;

/**
 * Run-item records that need no durability of their own (cache hits and skips: losing one
 * loses no work), written in batches, and the run summary refreshed at most once a second.
 * A computed result is never batched: it is committed with its record as it finishes.
 */
export class RecordBatcher {
  private pending: RunItemRecord[] = [];
  private lastSummary = 0;

  constructor(private readonly store: Pick<Store, 'transaction' | 'recordItem'>) {}

  defer(record: RunItemRecord): void {
    this.pending.push(record);
    if (this.pending.length >= RECORD_BATCH) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.store.transaction(() => batch.forEach((r) => this.store.recordItem(r)));
  }

  /** Flushes and calls `write` when a second has passed since the last time. */
  maybeRefresh(write: () => void): void {
    const now = Date.now();
    if (now - this.lastSummary < SUMMARY_EVERY_MS) return;
    this.lastSummary = now;
    this.flush();
    write();
  }
}
