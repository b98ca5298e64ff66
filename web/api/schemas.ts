import { z } from 'zod';
import { ReviewDecision } from '../../domain/review/index.ts';

/**
 * Every schema that validates a request: the routes parse with them and the OpenAPI
 * document is generated from them, so the two cannot drift apart.
 */

/** Run ids look like `20261122-031500-ab12cd`; tests and tools may pick their own, within these characters. */
export const RunId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'is not a run id (letters, digits, ".", "_", "-"; at most 128)')
  .meta({ description: 'A run id, as listed by GET /api/runs', example: '20261122-031500-ab12cd' });

/** Example ids are safe folder names (domain/example/ids.ts). */
export const ExampleId = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/, 'is not an example id (letters, digits, ".", "_", "-")')
  .meta({ description: 'An example id (the session id when that is a safe folder name)' });

export const StageId = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/, 'is not a stage id')
  .meta({ description: 'A stage id of the pipeline, e.g. classify' });

export const ArtifactHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'is not an artifact hash (64 lowercase hex characters)')
  .meta({ description: 'sha256 of the artifact bytes' });

export const ItemStatus = z.enum(['succeeded', 'failed', 'skipped']);

/** Items are sessions, named by their folder; only looked up, never used as a path. */
export const ItemId = z
  .string()
  .regex(/^[^\u0000-\u001f\u007f]{1,256}$/, 'is not an item id (1-256 characters, no control characters)')
  .meta({ description: 'An item (session) id, or * for the one item of an aggregate stage' });

/** A whole number sent as a query string, checked against its range after parsing. */
function count(min: number, max: number, description: string) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .meta({ description });
}

export const RunParams = z.strictObject({ id: RunId });
export const ExampleParams = z.strictObject({ id: ExampleId });
export const ArtifactParams = z.strictObject({ hash: ArtifactHash });

export const RunsQuery = z.strictObject({ limit: count(1, 1000, 'how many runs, newest first (default 50)') });
export const ItemsQuery = z.strictObject({
  stage: StageId.optional(),
  status: ItemStatus.optional(),
  item: ItemId.optional(),
  limit: count(1, 1000, 'page size (default 100)'),
  offset: count(0, 100_000_000, 'items to skip (default 0)'),
});
export const EmptyQuery = z.strictObject({});
export const EventsQuery = z.strictObject({
  after: count(0, Number.MAX_SAFE_INTEGER, 'resume after this item sequence number (the SSE id); Last-Event-ID does the same'),
});
export const RunChoiceQuery = z.strictObject({
  run: RunId.optional().meta({ description: 'the run to read (default: the latest run that has it)' }),
});
export const CompareQuery = z.strictObject({
  a: RunId.meta({ description: 'the baseline run' }),
  b: RunId.meta({ description: 'the run compared with it' }),
});

/** A review decision as a person sends it; stored exactly like `tracepipe review`. */
export const ReviewBody = ReviewDecision.meta({
  description: 'accept or reject a span, or fix it with a corrected action and/or parameters',
});
