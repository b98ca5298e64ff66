export { ReviewDecision, REVIEW_KIND, latestDecisions, reviewPayload, type DatedDecision } from './decision.ts';
export { applyReviewDecisions, type Thresholds, type AppliedReview } from './apply.ts';
export { reviewQueue, formatReviewQueue, formatReviewEntry, type ReviewQueueEntry } from './queue.ts';
