import { totalmem } from 'node:os';

/** Memory one item in flight may take (a batch of events, a HAR's text, decoded frames): the cap's unit. */
export const BYTES_PER_ITEM_IN_FLIGHT = 64 << 20;

/**
 * The most items a run processes at once on a machine with `memoryBytes` of memory: half of
 * it, BYTES_PER_ITEM_IN_FLIGHT each (at least 1). A larger `concurrency` only queues work in
 * memory (100k sessions at once took 2.8 GB), so it is capped to this when the pipeline is
 * resolved.
 */
export function maxConcurrency(memoryBytes: number = totalmem()): number {
  return Math.max(1, Math.floor(memoryBytes / 2 / BYTES_PER_ITEM_IN_FLIGHT));
}
