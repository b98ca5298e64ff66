import { BYTES_PER_ITEM_IN_FLIGHT } from '../engine/config/concurrency-cap.ts';
import type { ResolvedPipeline } from '../engine/config/types.ts';

/**
 * What exec says when the machine's memory capped a concurrency the pipeline asked for
 * (resolvePipeline applies the cap; a run must not silently do less than it was told).
 */
export function concurrencyNotes(raw: Record<string, unknown>, pipeline: ResolvedPipeline): string[] {
  const why = `each item in flight may take ${BYTES_PER_ITEM_IN_FLIGHT / 2 ** 20} MiB, and the cap keeps them within half of this machine's memory`;
  const notes: string[] = [];
  const asked = raw['concurrency'];
  if (typeof asked === 'number' && asked > pipeline.concurrency) notes.push(`note: concurrency ${asked} capped to ${pipeline.concurrency}: ${why}`);
  const stages = (raw['stages'] ?? {}) as Record<string, { concurrency?: unknown } | null>;
  for (const node of pipeline.stages) {
    const nodeAsked = stages[node.id]?.concurrency;
    if (typeof nodeAsked === 'number' && node.concurrency !== undefined && nodeAsked > node.concurrency) {
      notes.push(`note: stage ${node.id}: concurrency ${nodeAsked} capped to ${node.concurrency}: ${why}`);
    }
  }
  return notes;
}
