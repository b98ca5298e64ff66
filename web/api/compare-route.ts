import { loadRunExamples } from '../../app/run-examples.ts';
import { compareRuns } from '../../domain/compare/index.ts';
import { TracepipeError } from '../../engine/errors.ts';
import { notFound } from './errors.ts';
import type { CompareResponse } from './responses.ts';
import { defineRoute } from './route.ts';
import { requireRun } from './run-routes.ts';
import { CompareQuery } from './schemas.ts';

export const compareRoute = defineRoute({
  method: 'get',
  path: '/api/compare',
  summary: 'Two runs scored against the labels: per-action scores, disagreements, review flags, tokens, cost and latency',
  query: CompareQuery,
  responses: { 200: 'CompareReport (domain/compare/types.ts)', 404: 'no such run' },
  handle: (c, { query }, { store, memo }) => {
    const runs = [requireRun(store, query.a), requireRun(store, query.b)];
    try {
      return c.json(
        memo.comparisons.get(runs, () => compareRuns(loadRunExamples(store, runs[0]!), loadRunExamples(store, runs[1]!))) satisfies CompareResponse,
      );
    } catch (err) {
      if (err instanceof TracepipeError) throw notFound(err.message);
      throw err;
    }
  },
});
