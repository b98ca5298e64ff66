import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Store } from '../../engine/cache/types.ts';
import type { StageRegistry } from '../../engine/stage.ts';
import { badRequest, invalidInput } from './errors.ts';
import type { RunStatsMemo } from './run-stats.ts';
import type { FinishedRunMemo } from './finished-memo.ts';
import type { ExampleIndex } from './outputs.ts';
import type { ReviewQueueEntry } from '../../domain/review/index.ts';
import type { CompareReport } from '../../domain/compare/index.ts';

/** What every route handler can reach. */
export interface ApiDeps {
  store: Store;
  /** Stage definitions by `uses` name: tells map stages (one result per session) from aggregates (one per run). */
  registry: StageRegistry;
  /** How often a live event stream looks for new items. */
  pollMs: number;
  /** Per-stage counts, shared across requests. */
  stats: RunStatsMemo;
  /** Review queues, comparisons and example indexes of finished runs, shared across requests. */
  memo: { queues: FinishedRunMemo<ReviewQueueEntry[]>; comparisons: FinishedRunMemo<CompareReport>; examples: FinishedRunMemo<ExampleIndex> };
}

type AnyObject = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

/**
 * One API route: its path, the schemas that validate its path parameters, query and
 * body, and what it answers. The same value mounts the route and documents it.
 */
export interface RouteSpec<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> {
  method: 'get' | 'post';
  /** Hono syntax: `/api/runs/:id`. */
  path: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Status code -> what it means; the media type when it is not JSON. */
  responses: Record<number, string | { description: string; mediaType: string }>;
  handle(c: Context, input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }, deps: ApiDeps): Response | Promise<Response>;
}

/** Infers a route's input types from its schemas. */
export function defineRoute<P extends AnyObject, Q extends AnyObject, B extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Registers each route on the app: input is parsed first, and a bad input is a 400 before any handler runs. */
export function mountRoutes(app: Hono, routes: readonly RouteSpec[], deps: ApiDeps): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      const params = parse(route.params, c.req.param(), 'path parameter');
      const query = parse(route.query, c.req.query(), 'query parameter');
      const body = route.body === undefined ? undefined : parse(route.body, await jsonBody(c), 'body field');
      return route.handle(c, { params, query, body } as Parameters<RouteSpec['handle']>[1], deps);
    });
  }
}

function parse(schema: z.ZodType | undefined, value: unknown, where: 'path parameter' | 'query parameter' | 'body field'): unknown {
  if (schema === undefined) return value;
  const r = schema.safeParse(value);
  if (!r.success) throw invalidInput(where, r.error, value, schema);
  return r.data;
}

async function jsonBody(c: Context): Promise<unknown> {
  // A JSON content type also makes a cross-site form post impossible without a CORS preflight.
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) throw badRequest('send the body as JSON with Content-Type: application/json');
  try {
    return await c.req.json();
  } catch {
    throw badRequest('the body is not valid JSON');
  }
}
