import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { RunItemRecord, Store } from '../../engine/cache/types.ts';
import { isRunStale } from '../../engine/run/liveness.ts';
import { badRequest } from './errors.ts';
import { defineRoute } from './route.ts';
import { requireRun } from './run-routes.ts';
import { runView } from './run-view.ts';
import { EventsQuery, RunParams } from './schemas.ts';

const BATCH = 500;
const HEARTBEAT_MS = 15_000;

export const runEventsRoute = defineRoute({
  method: 'get',
  path: '/api/runs/:id/events',
  summary: 'Server-sent events while the run is live: `item` for each finished item, `progress`, then `end`',
  description:
    'The server polls the cache file, so a run in another process is seen as it writes. Each item is sent once, in the order it was recorded, with its sequence number as the SSE id; reconnecting with Last-Event-ID (or ?after=) resumes after it. A finished run replays its items and ends at once.',
  params: RunParams,
  query: EventsQuery,
  responses: {
    200: {
      description:
        'event: item {stage, item, status, cacheHit, durationMs, error?, seq}; event: progress {summary, progress, etaSeconds}; event: end {status, stale}',
      mediaType: 'text/event-stream',
    },
    204: { description: 'a reconnect (Last-Event-ID) to a finished run that has nothing after that id: stop reconnecting', mediaType: 'text/event-stream' },
    404: 'no such run',
  },
  handle: (c, { params, query }, { store, pollMs }) => {
    const run = requireRun(store, params.id);
    const resumed = lastEventId(c);
    // A browser's EventSource reconnects whenever a stream ends; 204 is how to tell it the run has nothing more.
    const over = run.status !== 'running' || isRunStale(run);
    if (resumed !== undefined && query.after === undefined && over && store.itemsAfter(run.id, resumed, 1).length === 0) {
      return c.body(null, 204);
    }
    return streamSSE(c, (stream) => follow(stream, store, params.id, query.after ?? resumed ?? 0, pollMs));
  },
});

function lastEventId(c: Context): number | undefined {
  const header = c.req.header('last-event-id');
  if (header === undefined || header === '') return undefined;
  if (!/^\d{1,15}$/.test(header)) throw badRequest('Last-Event-ID must be an item sequence number sent by this stream');
  return Number(header);
}

async function follow(stream: SSEStreamingApi, store: Store, runId: string, after: number, pollMs: number): Promise<void> {
  let cursor = after;
  let lastProgress = '';
  let lastWrite = Date.now();
  while (!stream.aborted) {
    // Read the status before draining: a run marks itself finished only after its last item is committed.
    const run = store.getRun(runId);
    if (run === undefined) {
      await stream.writeSSE({ event: 'end', data: JSON.stringify({ status: 'deleted', stale: false }) });
      return;
    }
    for (;;) {
      const batch = store.itemsAfter(runId, cursor, BATCH);
      for (const { seq, item } of batch) {
        await stream.writeSSE({ event: 'item', id: String(seq), data: JSON.stringify(itemEvent(item, seq)) });
        cursor = seq;
      }
      if (batch.length < BATCH || stream.aborted) break;
    }
    const view = runView(run);
    const progress = JSON.stringify({ summary: view.summary, progress: view.progress, etaSeconds: view.etaSeconds });
    if (progress !== lastProgress) {
      await stream.writeSSE({ event: 'progress', data: progress });
      lastProgress = progress;
      lastWrite = Date.now();
    }
    if (run.status !== 'running' || view.stale) {
      await stream.writeSSE({ event: 'end', data: JSON.stringify({ status: run.status, stale: view.stale }) });
      return;
    }
    if (Date.now() - lastWrite > HEARTBEAT_MS) {
      await stream.write(': still running\n\n');
      lastWrite = Date.now();
    }
    await stream.sleep(pollMs);
  }
}

function itemEvent(i: RunItemRecord, seq: number) {
  return {
    stage: i.stageId,
    item: i.item,
    status: i.status,
    cacheHit: i.cacheHit,
    durationMs: i.durationMs,
    seq,
    ...(i.error === null ? {} : { error: { code: i.error.code, message: i.error.message, ...(i.error.hint ? { hint: i.error.hint } : {}) } }),
  };
}
