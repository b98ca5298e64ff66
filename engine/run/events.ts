import { unreachable, type ErrorInfo } from '../errors.ts';
import type { RunStatus } from '../cache/types.ts';

/** Why an item did not run its stage. */
export type SkipReason = { kind: 'upstream-failed'; stage: string } | { kind: 'aborted' };

/**
 * Everything the runner reports. Reporters (progress bars, JSON lines, the status
 * API) subscribe; the engine itself never prints.
 */
export type RunEvent =
  | {
      type: 'run:start';
      runId: string;
      pipeline: string;
      variant: string | null;
      items: number;
      stages: string[];
      totals: Record<string, number>;
      resumedFrom: string | null;
    }
  | { type: 'item:start'; runId: string; stage: string; item: string }
  | { type: 'item:done'; runId: string; stage: string; item: string; cacheHit: boolean; durationMs: number; metrics: Record<string, number> }
  | { type: 'item:failed'; runId: string; stage: string; item: string; error: ErrorInfo; durationMs: number }
  | { type: 'item:skipped'; runId: string; stage: string; item: string; reason: SkipReason }
  | { type: 'stage:event'; runId: string; stage: string; item: string | null; name: string; data: Record<string, unknown> }
  | { type: 'run:end'; runId: string; status: Exclude<RunStatus, 'running'>; durationMs: number; summary: RunEndSummary };

export interface StageCounts {
  total: number;
  done: number;
  cached: number;
  failed: number;
  skipped: number;
}

export interface RunEndSummary {
  stages: Record<string, StageCounts>;
  failures: { stage: string; item: string; error: ErrorInfo }[];
  metrics: Record<string, number>;
}

export type RunListener = (event: RunEvent) => void;

/** Why an item was skipped, as recorded with it. */
export function describeSkip(reason: SkipReason): string {
  switch (reason.kind) {
    case 'upstream-failed':
      return `upstream stage ${reason.stage} did not succeed`;
    case 'aborted':
      return 'the run was interrupted';
    default:
      return unreachable(reason);
  }
}
