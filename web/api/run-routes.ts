import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { noRunMessage } from '../../app/run-lookup.ts';
import { UNRECORDED_FAILURE } from '../../engine/errors.ts';
import { notFound } from './errors.ts';
import type { RunErrorView, RunErrorsResponse, RunItemsResponse, RunResponse, RunsResponse } from './responses.ts';
import { defineRoute } from './route.ts';
import { runDetail, runView } from './run-view.ts';
import { EmptyQuery, ItemsQuery, RunParams, RunsQuery } from './schemas.ts';

export function requireRun(store: Store, id: string): RunRecord {
  const run = store.getRun(id);
  if (run === undefined) throw notFound(`${noRunMessage(id, 'this cache')}; GET /api/runs lists the runs`);
  return run;
}

export const listRunsRoute = defineRoute({
  method: 'get',
  path: '/api/runs',
  summary: 'Recent runs, newest first, with progress and an ETA',
  query: RunsQuery,
  responses: { 200: '{runs: RunView[]}' },
  handle: (c, { query }, { store }) => c.json({ runs: store.listRuns(query.limit ?? 50).map((r) => runView(r)) } satisfies RunsResponse),
});

export const getRunRoute = defineRoute({
  method: 'get',
  path: '/api/runs/:id',
  summary: 'One run: config snapshot, per-stage counts and busy time, tokens, cost, progress and ETA',
  params: RunParams,
  query: EmptyQuery,
  responses: { 200: '{run: RunDetail}', 404: 'no such run' },
  handle: (c, { params }, { store, registry, stats }) => {
    const run = requireRun(store, params.id);
    return c.json({ run: runDetail(run, stats.get(run), registry) } satisfies RunResponse);
  },
});

export const runItemsRoute = defineRoute({
  method: 'get',
  path: '/api/runs/:id/items',
  summary: "A page of a run's items (stage x session), by stage then item",
  params: RunParams,
  query: ItemsQuery,
  responses: { 200: '{items: RunItemRecord[], total, limit, offset}', 404: 'no such run' },
  handle: (c, { params, query }, { store }) => {
    requireRun(store, params.id);
    const filter = {
      ...(query.stage ? { stageId: query.stage } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.item ? { item: query.item } : {}),
    };
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    return c.json({
      items: store.runItems(params.id, { ...filter, limit, offset }),
      total: store.countRunItems(params.id, filter),
      limit,
      offset,
    } satisfies RunItemsResponse);
  },
});

export const runErrorsRoute = defineRoute({
  method: 'get',
  path: '/api/runs/:id/errors',
  summary: 'Every failed item with its error code, message, hint, cause, location and the cache key it was computing',
  params: RunParams,
  query: EmptyQuery,
  responses: { 200: '{errors: [{stage, item, code, message, hint, cause, location, key}]}', 404: 'no such run' },
  handle: (c, { params }, { store }) => {
    requireRun(store, params.id);
    const errors = store.runItems(params.id, { status: 'failed' }).map((i): RunErrorView => {
      const error = i.error ?? UNRECORDED_FAILURE;
      return {
        stage: i.stageId,
        item: i.item,
        code: error.code,
        message: error.message,
        hint: error.hint ?? null,
        cause: error.cause ?? null,
        location: error.location ?? null,
        key: i.key,
        durationMs: i.durationMs,
        startedAt: i.startedAt,
      };
    });
    return c.json({ errors } satisfies RunErrorsResponse);
  },
});
