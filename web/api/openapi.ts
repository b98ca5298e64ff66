import { z } from 'zod';
import type { RouteSpec } from './route.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'too_large', 'internal'] },
        message: { type: 'string' },
        issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

/** OpenAPI 3.1 for the routes, built from the zod schemas that validate their requests. */
export function openApiDocument(routes: readonly RouteSpec[], opts: { bearer: boolean; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    const parameters = [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      const { description, mediaType } = typeof r === 'string' ? { description: r, mediaType: 'application/json' } : r;
      responses[status] = { description, content: { [mediaType]: Number(status) >= 400 ? { schema: { $ref: '#/components/schemas/Error' } } : {} } };
    }
    if (parameters.length > 0 || route.body !== undefined)
      responses['400'] ??= {
        description: 'a path parameter, query parameter or body field is invalid',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    if (opts.bearer)
      responses['401'] = { description: 'missing or wrong bearer token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      operationId: operationId(route),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body !== undefined ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'tracepipe status API',
      version: opts.version,
      description: 'Runs, their items, errors and live events, examples, the review queue and run comparisons, read from the cache file runs write to.',
    },
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      ...(opts.bearer
        ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the TRACEPIPE_TOKEN the server was started with' } } }
        : {}),
    },
    ...(opts.bearer ? { security: [{ bearer: [] }] } : {}),
  };
}

function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (schema === undefined) return [];
  const json = schemaOf(schema);
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s as { description?: string };
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

function operationId(route: RouteSpec): string {
  const words = route.path
    .replace(/^\/api\//, '')
    .split('/')
    .map((p) => (p.startsWith(':') ? `by-${p.slice(1)}` : p));
  return [route.method, ...words].join('-').replace(/-(\w)/g, (_m, ch: string) => ch.toUpperCase());
}
