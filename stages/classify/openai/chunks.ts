import type { ClassifiedSpan } from '../../../domain/session/classification.ts';
import type { Step } from '../../../domain/session/timeline.ts';

/** Overlapping windows of steps: each starts `size - overlap` steps after the previous one. */
export function chunkSteps(steps: Step[], size: number, overlap: number): Step[][] {
  if (steps.length <= size) return [steps];
  const stride = size - overlap;
  const chunks: Step[][] = [];
  for (let start = 0; ; start += stride) {
    chunks.push(steps.slice(start, start + size));
    if (start + size >= steps.length) break;
  }
  return chunks;
}

/**
 * Merges the spans of consecutive chunks. Earlier chunks are never overwritten:
 * a later span with the same action overlapping an earlier span is the same
 * action seen again in the overlap; it only extends the earlier span's end (the
 * earlier chunk saw the action cut off at its edge).
 */
export function mergeChunkSpans(perChunk: ClassifiedSpan[][]): ClassifiedSpan[] {
  const merged: ClassifiedSpan[] = [];
  perChunk.forEach((spans, chunkIndex) => {
    const earlier = merged.length;
    for (const span of spans) {
      const same =
        chunkIndex === 0
          ? undefined
          : merged.slice(0, earlier).find((m) => m.action === span.action && m.startStep <= span.endStep && span.startStep <= m.endStep);
      if (same) {
        same.endStep = Math.max(same.endStep, span.endStep);
        continue;
      }
      merged.push(span);
    }
  });
  return merged.sort((a, b) => a.startStep - b.startStep || a.endStep - b.endStep);
}
