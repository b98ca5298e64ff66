import { SqliteStore } from '../../cache/sqlite.ts';
import type { RunRecord, Store } from '../../cache/types.ts';
import { inputError } from '../../errors.ts';
import { readSnapshot } from '../../run/snapshot.ts';
import { parseSuite } from '../../../stages/suite/index.ts';
import { formatReviewEntry, formatReviewQueue, reviewPayload, reviewQueue, REVIEW_KIND, type ReviewDecision } from '../../../stages/review/index.ts';
import type { Example } from '../../../stages/synthesize/index.ts';
import { EXIT, cacheFile, type Io } from '../io.ts';
import { synthesizedExamples } from './compare.ts';

interface ReviewArgs {
  run?: string;
  cache?: string;
  json?: boolean;
}

function examplesOf(store: SqliteStore, runId: string | undefined): { runId: string; examples: Example[] } | null {
  const id = runId ?? store.listRuns(1)[0]?.id;
  if (id === undefined) return null;
  return { runId: id, examples: synthesizedExamples(store, id) };
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
  const store = new SqliteStore(cacheFile(io, args.cache));
  try {
    const loaded = examplesOf(store, args.run);
    if (loaded === null) {
      io.err(`no runs yet in ${store.file}`);
      return EXIT.badInput;
    }
    const queue = reviewQueue(loaded.examples);
    if (action === 'list') {
      if (args.json) io.out(JSON.stringify({ runId: loaded.runId, queue }, null, 2));
      else io.out(queue.length === 0 ? `nothing to review in run ${loaded.runId}` : `run ${loaded.runId}: ${queue.length} span${queue.length === 1 ? '' : 's'} to review\n${formatReviewQueue(queue)}`);
      return EXIT.ok;
    }
    if (exampleId === undefined) {
      io.err(`tracepipe review ${action} needs an example id (see \`tracepipe review list\`)`);
      return EXIT.badInput;
    }
    const example = loaded.examples.find((e) => e.id === exampleId || e.sessionId === exampleId);
    if (example === undefined) {
      io.err(`no example ${exampleId} in run ${loaded.runId}`);
      return EXIT.badInput;
    }
    const entries = queue.filter((q) => q.exampleId === example.id);
    if (action === 'show') {
      if (args.json) io.out(JSON.stringify({ example, queue: entries }, null, 2));
      else io.out(entries.length === 0 ? `example ${example.id} has no spans waiting for review (status ${example.status})` : entries.map((e) => formatReviewEntry(e, example)).join('\n\n'));
      return EXIT.ok;
    }
    const index = span === undefined ? entries[0]?.spanIndex : Number(span);
    if (index === undefined || !Number.isInteger(index)) {
      io.err(`say which span of ${example.id} to ${action}: tracepipe review ${action} ${example.id} <span>`);
      return EXIT.badInput;
    }
    const decision: ReviewDecision = { span: index, decision: action as ReviewDecision['decision'] };
    if (action === 'fix') {
      if (args.action) decision.action = args.action;
      if (args.params) {
        try {
          decision.parameters = JSON.parse(args.params);
        } catch {
          io.err(`--params is not JSON: ${args.params}`);
          return EXIT.badInput;
        }
      }
    }
    if (args.note) decision.note = args.note;
    if (args.reviewer) decision.reviewer = args.reviewer;
    recordReviewDecision(store, store.getRun(loaded.runId)!, example, decision);
    io.out(`${action} recorded for ${example.id} span ${index}; run \`tracepipe exec\` again to rebuild the examples (classification is reused).`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
