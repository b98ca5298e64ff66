import type { RunRecord, Store } from '../engine/cache/types.ts';
import { inputError } from '../engine/errors.ts';
import { readSnapshot } from '../engine/run/snapshot.ts';
import { parseSuite } from '../domain/suite/index.ts';
import { reviewPayload, REVIEW_KIND, type ReviewDecision } from '../domain/review/index.ts';
import type { Example } from '../domain/example/index.ts';

/**
 * Checks a review decision and stores it on the classification the example was built from
 * (its review subject), where the next `tracepipe exec` picks it up; returns it as stored.
 * Shared by the CLI and the HTTP API, so both refuse the same things with the same words:
 * a malformed decision, a span the example does not have, a fix naming an action or
 * parameters the run's suite rejects (TP_INPUT, with the problems in `details`).
 */
export function recordReviewDecision(store: Store, run: RunRecord, example: Example, input: ReviewDecision): ReviewDecision {
  const decision = checkReviewDecision(run, example, input);
  store.addAnnotation({ subjectKey: example.provenance.reviewSubject.key, kind: REVIEW_KIND, payload: decision, createdAt: new Date().toISOString() });
  return decision;
}

function checkReviewDecision(run: RunRecord, example: Example, input: ReviewDecision): ReviewDecision {
  let decision: ReviewDecision;
  try {
    decision = reviewPayload(input);
  } catch (err) {
    throw inputError((err as Error).message);
  }
  const span = example.spans.find((s) => s.index === decision.span) ?? example.droppedSpans.find((s) => s.index === decision.span);
  if (span === undefined) {
    const known = [...example.spans, ...example.droppedSpans].map((s) => s.index).sort((a, b) => a - b);
    throw inputError(`example ${example.id} has no span ${decision.span} (spans: ${known.join(', ') || 'none'})`);
  }
  if (decision.decision === 'fix') checkFixAgainstSuite(decision, span.action, run);
  return decision;
}

/** A fix must name an action of the run's suite (as recorded in its snapshot) and parameters its schema accepts. */
function checkFixAgainstSuite(decision: ReviewDecision, spanAction: string, run: RunRecord): void {
  let suite;
  try {
    const { snapshot } = readSnapshot(run.snapshot, run.id);
    const file = snapshot.pipeline.suite;
    const text = file === undefined ? undefined : snapshot.files[file];
    if (file === undefined || text === undefined) return;
    suite = parseSuite(text, file);
  } catch {
    return; // no usable suite in the run's snapshot: the synthesize stage reports problems when it runs
  }
  const action = decision.action ?? spanAction;
  if (!suite.actionNames.includes(action)) throw inputError(`unknown action "${action}" (the suite has: ${suite.actionNames.join(', ')})`);
  if (decision.parameters !== undefined) {
    const problems = suite.validateParameters(action, decision.parameters);
    if (problems.length > 0) throw inputError(`parameters for ${action}: ${problems.join('; ')}`, { details: { problems } });
  }
}
