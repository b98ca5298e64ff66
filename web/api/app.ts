import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { TracepipeError } from '../../engine/errors.ts';
import { describeCause } from '../../engine/error-cause.ts';
import type { Store } from '../../engine/cache/types.ts';
import type { StageRegistry } from '../../engine/stage.ts';
import { ApiError, INTERNAL_ERROR_BODY } from './errors.ts';
import { apiHeaders, bearerAuth, loopbackHostOnly } from './guards.ts';
import { openApiDocument } from './openapi.ts';
import { mountRoutes, type RouteSpec } from './route.ts';
import { RunStatsMemo } from './run-stats.ts';
import { FinishedRunMemo } from './finished-memo.ts';
import { getRunRoute, listRunsRoute, runErrorsRoute, runItemsRoute } from './run-routes.ts';
import { runEventsRoute } from './events-route.ts';
import { getArtifactRoute, getExampleRoute } from './example-routes.ts';
import { postReviewRoute, reviewQueueRoute } from './review-routes.ts';
import { compareRoute } from './compare-route.ts';

/** A review decision is a few hundred bytes; nothing the API accepts comes near this. */
const MAX_BODY_BYTES = 256 * 1024;

/** Every route of the API, in the order the OpenAPI document lists them. */
export const API_ROUTES: readonly RouteSpec[] = [
  listRunsRoute,
  getRunRoute,
  runItemsRoute,
  runErrorsRoute,
  runEventsRoute,
  getExampleRoute,
  getArtifactRoute,
  reviewQueueRoute,
  postReviewRoute,
  compareRoute,
];

export interface AppOptions {
  store: Store;
  /** The bearer token; required when `requireToken` is true. */
  token?: string;
  /** True when the server is reachable from other machines: every /api request must carry the token. */
  requireToken: boolean;
  /** Mounts the web pages (or anything else) on the same app, after the API routes. */
  pages?: (app: Hono) => void;
  /** Stage definitions by `uses`, from the composition root; tells aggregate stages from map stages. */
  registry: StageRegistry;
  /** How often an event stream polls the cache file (default 200 ms). */
  pollMs?: number;
  /** Where unexpected errors are reported (the client only gets a generic 500). */
  log?: (message: string) => void;
}

/**
 * The status API as a Hono app, over one store. Test it with `app.request()`; serve it
 * with `startServer` (web/server.ts).
 */
export function createApp(opts: AppOptions): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.body(), err.status);
    opts.log?.(
      `tracepipe serve: ${c.req.method} ${new URL(c.req.url).pathname} failed: ${err instanceof TracepipeError ? `${err.code} ${err.message}${err.cause === undefined ? '' : `\ncause: ${describeCause(err.cause)}`}` : (err.stack ?? String(err))}`,
    );
    return c.json(INTERNAL_ERROR_BODY, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}` } }, 404));

  app.use('/api/*', apiHeaders());
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'too_large', `the body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
      },
    }),
  );
  if (opts.requireToken) {
    if (!opts.token) {
      throw new TracepipeError('TP_CONFIG', 'a server reachable from other machines needs a token', {
        hint: 'Set TRACEPIPE_TOKEN (clients send it as Authorization: Bearer <token>), or bind to 127.0.0.1.',
      });
    }
    app.use('/api/*', bearerAuth(opts.token));
  } else {
    app.use('/api/*', loopbackHostOnly());
  }

  mountRoutes(app, API_ROUTES, {
    store: opts.store,
    registry: opts.registry,
    pollMs: opts.pollMs ?? 200,
    stats: new RunStatsMemo(opts.store),
    memo: { queues: new FinishedRunMemo(), comparisons: new FinishedRunMemo(), examples: new FinishedRunMemo() },
  });
  const doc = openApiDocument([...API_ROUTES, openApiRoute], { bearer: opts.requireToken, version: '0.1.0' });
  app.get(openApiRoute.path, (c) => c.json(doc));
  opts.pages?.(app);
  return app;
}

/** Documents the document itself (served by createApp, not through mountRoutes). */
const openApiRoute: RouteSpec = {
  method: 'get',
  path: '/api/openapi.json',
  summary: 'This OpenAPI 3.1 document',
  responses: { 200: 'the document' },
  handle: () => {
    throw new Error('served by createApp');
  },
};
