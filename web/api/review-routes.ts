import { recordReviewDecision } from '../../engine/cli/commands/review.ts';
import { latestDecisions, reviewPayload, reviewQueue, type ReviewDecision } from '../../stages/review/index.ts';
import { parseSuite } from '../../stages/suite/index.ts';
import type { Example } from '../../stages/synthesize/index.ts';
import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { badRequest } from './errors.ts';
import { findExample, latestExampleRun, runExamples, runSuite } from './outputs.ts';
import { defineRoute } from './route.ts';
import { requireRun } from './run-routes.ts';
import { ExampleParams, ReviewBody, RunChoiceQuery } from './schemas.ts';

export const reviewQueueRoute = defineRoute({
  method: 'get',
  path: '/api/review',
  summary: 'The low-confidence spans of a run waiting for a decision, lowest confidence first',
  description: 'Each entry carries the latest decision already stored for its span (null when none): a decision takes effect when the pipeline runs again.',
  query: RunChoiceQuery,
  responses: { 200: '{runId, queue: (ReviewQueueEntry & {decision})[]}', 404: 'no such run, or no run has examples' },
  handle: (c, { query }, { store, memo }) => {
    const run = query.run === undefined ? latestExampleRun(store) : requireRun(store, query.run);
    const decided = new Map<string, ReturnType<typeof latestDecisions>['decisions']>();
    const queue = memo.queues.get([run], () => reviewQueue(runExamples(store, run))).map((entry) => {
      let decisions = decided.get(entry.subject.key);
      if (decisions === undefined) decided.set(entry.subject.key, (decisions = latestDecisions(store.annotations(entry.subject.key)).decisions));
      return { ...entry, decision: decisions.get(entry.spanIndex) ?? null };
    });
    return c.json({ runId: run.id, queue });
  },
});

export const postReviewRoute = defineRoute({
  method: 'post',
  path: '/api/review/:id',
  summary: "Accept, fix or reject one span of an example; stored on the classification like `tracepipe review`",
  description: 'The next `tracepipe exec` rebuilds the example from the decision (the classification itself is reused).',
  params: ExampleParams,
  query: RunChoiceQuery,
  body: ReviewBody,
  responses: { 200: '{ok: true, decision, runId, exampleId, subject}', 400: 'bad decision, unknown span, or parameters the suite rejects', 404: 'no such run or example' },
  handle: (c, { params, query, body }, { store, memo }) => {
    const { run, example } = findExample(store, params.id, query.run === undefined ? undefined : requireRun(store, query.run), memo.examples);
    const decision = recordReviewDecision(store, example, checkDecision(body, example, run));
    return c.json({ ok: true, decision, runId: run.id, exampleId: example.id, subject: example.provenance.reviewSubject });
  },
});

function checkDecision(body: ReviewDecision, example: Example, run: RunRecord): ReviewDecision {
  let decision: ReviewDecision;
  try {
    decision = reviewPayload(body);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  const span = example.spans.find((s) => s.index === decision.span) ?? example.droppedSpans.find((s) => s.index === decision.span);
  if (span === undefined) {
    const known = [...example.spans, ...example.droppedSpans].map((s) => s.index).sort((a, b) => a - b);
    throw badRequest(`example ${example.id} has no span ${decision.span} (spans: ${known.join(', ') || 'none'})`);
  }
  if (decision.decision === 'fix') checkFixAgainstSuite(decision, span.action, run);
  return decision;
}

/** A fix must name an action of the run's suite and parameters its schema accepts. */
function checkFixAgainstSuite(decision: ReviewDecision, spanAction: string, run: RunRecord): void {
  const source = runSuite(run);
  if (source === undefined) return;
  let suite;
  try {
    suite = parseSuite(source.text, source.file);
  } catch {
    return; // the run's suite no longer parses; the stage will report it when it runs
  }
  const action = decision.action ?? spanAction;
  if (!suite.actionNames.includes(action)) throw badRequest(`unknown action "${action}" (the suite has: ${suite.actionNames.join(', ')})`);
  if (decision.parameters !== undefined) {
    const problems = suite.validateParameters(action, decision.parameters);
    if (problems.length > 0) throw badRequest(`parameters for ${action}: ${problems.join('; ')}`, problems.map((message) => ({ path: 'parameters', message })));
  }
}
