import type { ClassifiedSpan } from '../session/classification.ts';
import type { ExampleSpan } from '../example/example.ts';
import type { DatedDecision } from './decision.ts';

export interface Thresholds {
  /** Below this an undecided span is flagged for review. */
  review: number;
  /** Below this an undecided span is discarded. */
  drop?: number;
}

export interface AppliedReview {
  /** Spans that stay, in classification order, with their review marks. */
  kept: ExampleSpan[];
  dropped: { index: number; action: string; reason: 'rejected' | 'below_drop' }[];
}

/**
 * Applies people's decisions and the thresholds to classified spans.
 * accept: the span counts as confident; fix: action/parameters replaced, confident;
 * reject: the span is dropped. Undecided spans below `drop` are dropped, below
 * `review` are kept but flagged.
 */
export function applyReviewDecisions(spans: readonly ClassifiedSpan[], decisions: ReadonlyMap<number, DatedDecision>, thresholds: Thresholds): AppliedReview {
  const kept: ExampleSpan[] = [];
  const dropped: AppliedReview['dropped'] = [];
  spans.forEach((span, index) => {
    const d = decisions.get(index);
    if (d?.decision === 'reject') {
      dropped.push({ index, action: span.action, reason: 'rejected' });
      return;
    }
    if (d === undefined) {
      if (thresholds.drop !== undefined && span.confidence < thresholds.drop) {
        dropped.push({ index, action: span.action, reason: 'below_drop' });
        return;
      }
      kept.push({ ...span, index, flagged: span.confidence < thresholds.review });
      return;
    }
    const review = {
      decision: d.decision,
      createdAt: d.createdAt,
      ...(d.reviewer === undefined ? {} : { reviewer: d.reviewer }),
      ...(d.note === undefined ? {} : { note: d.note }),
    };
    const fixed = d.decision === 'fix' ? { action: d.action ?? span.action, parameters: d.parameters ?? span.parameters } : {};
    kept.push({ ...span, ...fixed, index, flagged: false, review });
  });
  return { kept, dropped };
}
