import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { inputError } from '../../engine/errors.ts';
import { readSnapshot } from '../../engine/run/snapshot.ts';
import { parseSuite } from '../../domain/suite/index.ts';
import { formatReviewEntry, formatReviewQueue, reviewPayload, reviewQueue, REVIEW_KIND, type ReviewDecision } from '../../domain/review/index.ts';
import type { Example } from '../../stages/synthesize/index.ts';
import { EXIT, type Io } from '../io.ts';
import { openRun } from '../run-ref.ts';
import { synthesizedExamples } from './compare.ts';

interface ReviewArgs {
  run?: string;
  cache?: string;
  json?: boolean;
}

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

/** `tracepipe review list|show|accept|fix|reject`: the low-confidence queue of a run (default: the latest). */
export function reviewCommand(io: Io, action: string, exampleId: string | undefined, span: string | undefined, args: ReviewArgs & { action?: string; params?: string; note?: string; reviewer?: string }): number {
  // Deciding writes to an existing cache; with no cache there is no run to review, and none is created.
  const { store, run } = openRun(io, args.cache, args.run);
  try {
    const loaded = { runId: run.id, examples: synthesizedExamples(store, run.id) };
    const queue = reviewQueue(loaded.examples);
    if (action === 'list') {
      if (args.json) io.out(JSON.stringify({ runId: loaded.runId, queue }, null, 2));
      else io.out(queue.length === 0 ? `nothing to review in run ${loaded.runId}` : `run ${loaded.runId}: ${queue.length} span${queue.length === 1 ? '' : 's'} to review\n${formatReviewQueue(queue)}`);
      return EXIT.ok;
    }
    if (exampleId === undefined) throw inputError(`tracepipe review ${action} needs an example id (see \`tracepipe review list\`)`);
    const example = loaded.examples.find((e) => e.id === exampleId || e.sessionId === exampleId);
    if (example === undefined) throw inputError(`no example ${exampleId} in run ${loaded.runId}`);
    const entries = queue.filter((q) => q.exampleId === example.id);
    if (action === 'show') {
      if (args.json) io.out(JSON.stringify({ example, queue: entries }, null, 2));
      else io.out(entries.length === 0 ? `example ${example.id} has no spans waiting for review (status ${example.status})` : entries.map((e) => formatReviewEntry(e, example)).join('\n\n'));
      return EXIT.ok;
    }
    const index = span === undefined ? entries[0]?.spanIndex : Number(span);
    if (index === undefined || !Number.isInteger(index)) throw inputError(`say which span of ${example.id} to ${action}: tracepipe review ${action} ${example.id} <span>`);
    const decision: ReviewDecision = { span: index, decision: action as ReviewDecision['decision'] };
    if (action === 'fix') {
      if (args.action) decision.action = args.action;
      if (args.params) {
        try {
          decision.parameters = JSON.parse(args.params);
        } catch {
          throw inputError(`--params is not JSON: ${args.params}`);
        }
      }
    }
    if (args.note) decision.note = args.note;
    if (args.reviewer) decision.reviewer = args.reviewer;
    recordReviewDecision(store, run, example, decision);
    io.out(`${action} recorded for ${example.id} span ${index}; run \`tracepipe exec\` again to rebuild the examples (classification is reused).`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
