import { z } from 'zod';
import type { Annotation } from '../../engine/stage.ts';
import { describeZodIssues } from '../../engine/config/zod-issues.ts';

/** The payload of a `review` annotation on a classify result. */
export const ReviewDecision = z.strictObject({
  /** Index of the span in the classification. */
  span: z.number().int().nonnegative(),
  decision: z.enum(['accept', 'fix', 'reject']),
  /** For `fix`: the corrected action (defaults to the span's own). */
  action: z.string().min(1).optional(),
  /** For `fix`: the corrected parameters (replace the span's parameters). */
  parameters: z.record(z.string(), z.unknown()).optional(),
  reviewer: z.string().optional(),
  note: z.string().optional(),
});
export type ReviewDecision = z.infer<typeof ReviewDecision>;

export const REVIEW_KIND = 'review';

export interface DatedDecision extends ReviewDecision {
  createdAt: string;
}

/**
 * The decision that counts for each span: the latest by `createdAt` (ties: the later
 * annotation in the list). Annotations of other kinds are ignored; malformed review
 * payloads are returned in `invalid` so the stage can report them.
 */
export function latestDecisions(annotations: readonly Annotation[]): {
  decisions: Map<number, DatedDecision>;
  invalid: { annotation: Annotation; message: string }[];
} {
  const decisions = new Map<number, DatedDecision>();
  const invalid: { annotation: Annotation; message: string }[] = [];
  for (const a of annotations) {
    if (a.kind !== REVIEW_KIND) continue;
    const parsed = ReviewDecision.safeParse(a.payload);
    if (!parsed.success) {
      const issues = describeZodIssues(parsed.error.issues, { input: a.payload, schema: ReviewDecision });
      invalid.push({ annotation: a, message: issues.map((i) => `${i.field}: ${i.problem}`).join('; ') });
      continue;
    }
    const current = decisions.get(parsed.data.span);
    if (current === undefined || a.createdAt >= current.createdAt) {
      decisions.set(parsed.data.span, { ...parsed.data, createdAt: a.createdAt });
    }
  }
  return { decisions, invalid };
}

/** Builds a validated review payload (what the CLI stores as an annotation). */
export function reviewPayload(input: ReviewDecision): ReviewDecision {
  const d = ReviewDecision.parse(input);
  if (d.decision !== 'fix' && (d.action !== undefined || d.parameters !== undefined)) {
    throw new Error('only a "fix" decision carries an action or parameters');
  }
  if (d.decision === 'fix' && d.action === undefined && d.parameters === undefined) {
    throw new Error('a "fix" decision needs an action, parameters or both');
  }
  return d;
}
