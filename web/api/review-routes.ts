import { recordReviewDecision } from '../../app/review-decision.ts';
import { latestDecisions, reviewQueue, type ReviewDecision } from '../../domain/review/index.ts';
import { TracepipeError } from '../../engine/errors.ts';
import { badRequest } from './errors.ts';
import { findExample, latestExampleRun, runExamples } from './outputs.ts';
import type { ReviewQueueItem, ReviewQueueResponse, ReviewResponse } from './responses.ts';
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
    const queue = memo.queues
      .get([run], () => reviewQueue(runExamples(store, run)))
      .map((entry): ReviewQueueItem => {
        let decisions = decided.get(entry.subject.key);
        if (decisions === undefined) decided.set(entry.subject.key, (decisions = latestDecisions(store.annotations(entry.subject.key)).decisions));
        return { ...entry, decision: decisions.get(entry.spanIndex) ?? null };
      });
    return c.json({ runId: run.id, queue } satisfies ReviewQueueResponse);
  },
});

export const postReviewRoute = defineRoute({
  method: 'post',
  path: '/api/review/:id',
  summary: 'Accept, fix or reject one span of an example; stored on the classification like `tracepipe review`',
  description: 'The next `tracepipe exec` rebuilds the example from the decision (the classification itself is reused).',
  params: ExampleParams,
  query: RunChoiceQuery,
  body: ReviewBody,
  responses: {
    200: '{ok: true, decision, runId, exampleId, subject}',
    400: 'bad decision, unknown span, or parameters the suite rejects',
    404: 'no such run or example',
  },
  handle: (c, { params, query, body }, { store, memo }) => {
    const { run, example } = findExample(store, params.id, query.run === undefined ? undefined : requireRun(store, query.run), memo.examples);
    let decision: ReviewDecision;
    try {
      decision = recordReviewDecision(store, run, example, body);
    } catch (err) {
      if (!(err instanceof TracepipeError) || err.code !== 'TP_INPUT') throw err;
      const problems = (err.details as { problems?: string[] } | undefined)?.problems;
      throw badRequest(
        err.message,
        problems?.map((message) => ({ path: 'parameters', message })),
      );
    }
    return c.json({ ok: true, decision, runId: run.id, exampleId: example.id, subject: example.provenance.reviewSubject } satisfies ReviewResponse);
  },
});
