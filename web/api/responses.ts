import type { z } from 'zod';
import type { CompareReport } from '../../domain/compare/types.ts';
import type { ChatMessage, Example, ExampleProvenance } from '../../domain/example/example.ts';
import type { DatedDecision, ReviewDecision } from '../../domain/review/decision.ts';
import type { ReviewQueueEntry } from '../../domain/review/queue.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
import type { RunItemRecord } from '../../engine/cache/types.ts';
import type { ErrorCode, SourceLocation } from '../../engine/errors.ts';
import type { ApiErrorBody } from './errors.ts';
import type { RunDetail, RunView } from './run-view.ts';
import type { ReviewBody } from './schemas.ts';

/**
 * The JSON body of every API answer, by route. The handlers build their bodies as these
 * types and the page scripts (web/pages/assets/*.js) read them through JSDoc, so a field
 * renamed here fails both `tsc` projects (tsconfig.json and tsconfig.pages.json).
 */

/** GET /api/runs */
export interface RunsResponse {
  runs: RunView[];
}

/** GET /api/runs/:id */
export interface RunResponse {
  run: RunDetail;
}

/** GET /api/runs/:id/items */
export interface RunItemsResponse {
  items: RunItemRecord[];
  total: number;
  limit: number;
  offset: number;
}

/** One failed item of GET /api/runs/:id/errors. */
export interface RunErrorView {
  stage: string;
  item: string;
  code: ErrorCode;
  message: string;
  hint: string | null;
  cause: string | null;
  location: SourceLocation | null;
  key: string | null;
  durationMs: number;
  startedAt: string;
}

/** GET /api/runs/:id/errors */
export interface RunErrorsResponse {
  errors: RunErrorView[];
}

/** A keyframe of GET /api/examples/:id: one per timeline step that has one. */
export interface KeyframeView {
  step: number;
  /** Milliseconds from the start of the session. */
  t: number;
  url: string;
  mediaType: string;
  width: number;
  height: number;
}

/** GET /api/examples/:id */
export interface ExampleResponse {
  runId: string;
  item: string;
  example: Example;
  messages: ChatMessage[];
  provenance: ExampleProvenance;
  timeline: Timeline | null;
  keyframes: KeyframeView[];
}

/** One entry of GET /api/review: a flagged span with the decision already stored for it. */
export interface ReviewQueueItem extends ReviewQueueEntry {
  decision: DatedDecision | null;
}

/** GET /api/review */
export interface ReviewQueueResponse {
  runId: string;
  queue: ReviewQueueItem[];
}

/** The body of POST /api/review/:id. */
export type ReviewRequest = z.input<typeof ReviewBody>;

/** POST /api/review/:id */
export interface ReviewResponse {
  ok: true;
  decision: ReviewDecision;
  runId: string;
  exampleId: string;
  subject: ExampleProvenance['reviewSubject'];
}

/** GET /api/compare */
export type CompareResponse = CompareReport;

/** What any route answers when it fails (4xx, 5xx). */
export type ErrorResponse = ApiErrorBody;
