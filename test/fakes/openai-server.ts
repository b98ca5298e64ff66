import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenAI-compatible Chat Completions server on 127.0.0.1, scripted per
 * test. It speaks HTTP like the real API (status, headers, JSON bodies), counts
 * and records every request, and can be slow, rate-limited, hang, reply with
 * garbage, or enforce one endpoint's rules (`rules`: OpenAI's reasoning-model and
 * strict-schema errors, OpenRouter's usage.cost, vLLM's image limits). Used by the
 * classify tests and bench/llm through the real `openai` SDK.
 */

export interface RecordedRequest {
  n: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined when it did not parse). */
  body: any;
  at: number;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Assistant message content; wrapped into a chat.completion object. */
  content?: string;
  /** Shorthand: content = JSON.stringify(json). */
  json?: unknown;
  /** A full response body (object → JSON, string → sent as is, e.g. malformed JSON). */
  body?: unknown;
  usage?: Usage;
  /** choices[0].finish_reason (default stop). */
  finishReason?: string;
  /** choices[0].message.refusal (content is then null). */
  refusal?: string;
  delayMs?: number;
  /** Never answer (for timeouts); the socket is closed at server close. */
  hang?: boolean;
}

export type Handler = (req: RecordedRequest) => Reply | Promise<Reply>;

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
  /** OpenRouter: what the call cost, in credits (USD). */
  cost?: number;
}

/**
 * One endpoint's rules, checked on every request before the scripted reply, with
 * the error body that endpoint sends (400). `openaiReasoningModel` is OpenAI serving
 * an o-series or gpt-5 model; test/classify/endpoints.test.ts composes the others.
 */
export interface EndpointRules {
  /** OpenAI's `unsupported_parameter`: e.g. a reasoning model's max_tokens (param → the field to use instead). */
  unsupportedParams?: Record<string, string>;
  /** OpenAI's `unsupported_value`: fields a reasoning model accepts only at their default (temperature: 1). */
  defaultOnlyParams?: Record<string, unknown>;
  /** Check response_format by OpenAI's strict rules: additionalProperties false, all required, anyOf branches without identical first keys. */
  strictSchemas?: boolean;
  /** OpenRouter: report `usage.cost` computed from the reply's usage. */
  reportCost?: (usage: Usage) => number;
  /** vLLM: the served model reads no images. */
  textOnly?: boolean;
  /** vLLM: --limit-mm-per-prompt image=N. */
  maxImagesPerRequest?: number;
}

export interface FakeServerOptions {
  /** Replies used in order; after they run out, `handler` (or a 500 saying the script ran out). */
  replies?: Reply[];
  handler?: Handler;
  /** Added to every reply's delay. */
  latencyMs?: number;
  /** Beyond this many requests in any rolling second: 429 with Retry-After. */
  rateLimit?: { perSecond: number; retryAfterSeconds?: number; retryAfterMs?: number };
  /** The endpoint's quirks; a request that breaks one gets that endpoint's error and no scripted reply. */
  rules?: EndpointRules;
}

export interface FakeOpenAIServer {
  /** Base URL for the SDK, ending in /v1. */
  url: string;
  requests: RecordedRequest[];
  /** Requests answered with 429 by the rate limiter. */
  rateLimited: number;
  /** Queue more scripted replies. */
  push(...replies: Reply[]): void;
  setHandler(handler: Handler | undefined): void;
  close(): Promise<void>;
}

export function completion(
  content: string | null,
  usage: Usage = { prompt_tokens: 100, completion_tokens: 20 },
  model = 'fake-model',
  opts: { finishReason?: string; refusal?: string } = {},
) {
  return {
    id: `chatcmpl-fake`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: opts.refusal ?? null }, finish_reason: opts.finishReason ?? 'stop', logprobs: null }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

export async function startFakeOpenAI(opts: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
  const queue = [...(opts.replies ?? [])];
  let handler = opts.handler;
  const requests: RecordedRequest[] = [];
  const recent: number[] = [];
  const hanging = new Set<ServerResponse>();
  let rateLimited = 0;
  const limitedAt: number[] = [];

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // a request counts when its head arrives, as at a provider's gateway (not when a large body has been read)
    const now = Date.now();
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === '/__stats') {
      // for a server run in another process (bench/llm): counts without the bodies
      return send(res, { body: { requests: requests.length, rateLimited, firstAt: requests[0]?.at ?? null, lastAt: requests.at(-1)?.at ?? null, limitedAt } });
    }
    if (req.method !== 'POST' || !/^(\/v1)?\/chat\/completions$/.test(path)) {
      return send(res, { status: 404, body: { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } } });
    }
    if (opts.rateLimit) {
      while (recent.length && recent[0]! <= now - 1000) recent.shift();
      if (recent.length >= opts.rateLimit.perSecond) {
        rateLimited++;
        limitedAt.push(now);
        const oldest = recent[0]!;
        const retryMs = opts.rateLimit.retryAfterMs ?? Math.max(1, oldest + 1000 - now);
        const headers: Record<string, string> = { 'retry-after-ms': String(retryMs) };
        headers['retry-after'] = String(opts.rateLimit.retryAfterSeconds ?? Math.ceil(retryMs / 1000));
        if (opts.rateLimit.retryAfterSeconds !== undefined) delete headers['retry-after-ms'];
        return send(res, { status: 429, headers, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } });
      }
      recent.push(now);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = { n: requests.length + 1, method: req.method, path, headers: req.headers, body, at: now };
    requests.push(recorded);
    const broken = opts.rules ? breaksRule(opts.rules, body) : undefined;
    if (broken) return send(res, broken);
    const scripted: Reply =
      queue.shift() ?? (handler ? await handler(recorded) : { status: 500, body: { error: { message: 'fake server: no scripted reply left' } } });
    const reply = opts.rules?.reportCost ? withCost(scripted, opts.rules.reportCost) : scripted;
    const delay = (reply.delayMs ?? 0) + (opts.latencyMs ?? 0);
    if (reply.hang) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (!res.destroyed) send(res, reply);
  };
  // A throw here stays an unhandled rejection, so a broken fake fails the test run loudly.
  const server = createServer((req, res) => void respond(req, res));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get rateLimited() {
      return rateLimited;
    },
    push: (...replies) => void queue.push(...replies),
    setHandler: (h) => void (handler = h),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: Reply) {
  const status = reply.status ?? 200;
  let payload: string;
  if (reply.body !== undefined) payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  else if (reply.refusal !== undefined)
    payload = JSON.stringify(completion(null, reply.usage, undefined, { refusal: reply.refusal, finishReason: reply.finishReason ?? 'stop' }));
  else if (reply.content !== undefined || reply.json !== undefined) {
    payload = JSON.stringify(
      completion(reply.content ?? JSON.stringify(reply.json), reply.usage, undefined, reply.finishReason ? { finishReason: reply.finishReason } : {}),
    );
  } else payload = JSON.stringify(status >= 400 ? { error: { message: `fake error ${status}` } } : completion('{"spans":[]}', reply.usage));
  res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const DEFAULT_USAGE: Usage = { prompt_tokens: 100, completion_tokens: 20 };

function withCost(reply: Reply, cost: (u: Usage) => number): Reply {
  if ((reply.status ?? 200) >= 400 || reply.body !== undefined) return reply;
  const usage = reply.usage ?? DEFAULT_USAGE;
  return { ...reply, usage: { ...usage, cost: cost(usage) } };
}

const invalid = (message: string, param: string | null, code: string | null): Reply => ({
  status: 400,
  body: { error: { message, type: 'invalid_request_error', param, code } },
});

/** The error this endpoint would answer `body` with, or undefined when it breaks none of the rules. */
function breaksRule(rules: EndpointRules, body: any): Reply | undefined {
  if (!body || typeof body !== 'object') return invalid('We could not parse the JSON body of your request.', null, null);
  for (const [param, instead] of Object.entries(rules.unsupportedParams ?? {})) {
    if (param in body)
      return invalid(`Unsupported parameter: '${param}' is not supported with this model. Use '${instead}' instead.`, param, 'unsupported_parameter');
  }
  for (const [param, only] of Object.entries(rules.defaultOnlyParams ?? {})) {
    if (param in body && body[param] !== only) {
      return invalid(
        `Unsupported value: '${param}' does not support ${JSON.stringify(body[param])} with this model. Only the default (${JSON.stringify(only)}) value is supported.`,
        param,
        'unsupported_value',
      );
    }
  }
  if (rules.strictSchemas && body.response_format?.type === 'json_schema') {
    const problem = strictSchemaProblem(body.response_format.json_schema?.schema, []);
    if (problem)
      return invalid(`Invalid schema for response_format '${body.response_format.json_schema?.name}': ${problem}`, 'response_format', 'invalid_json_schema');
  }
  const images = (body.messages ?? []).flatMap((m: any) => (Array.isArray(m.content) ? m.content.filter((p: any) => p.type === 'image_url') : []));
  if (rules.textOnly && images.length > 0)
    return { status: 400, body: { error: { message: `${body.model} is not a multimodal model None`, type: 'BadRequestError', param: null, code: 400 } } };
  if (rules.maxImagesPerRequest !== undefined && images.length > rules.maxImagesPerRequest) {
    return {
      status: 400,
      body: {
        error: { message: `At most ${rules.maxImagesPerRequest} image(s) may be provided in one request.`, type: 'BadRequestError', param: null, code: 400 },
      },
    };
  }
  return undefined;
}

/**
 * OpenAI's documented strict-mode rules, written independently of tracepipe's
 * strictify: every object lists all its properties as required and sets
 * additionalProperties false, every schema has a type (or anyOf/enum/const), and
 * no two anyOf branches begin with an identical first property.
 */
export function strictSchemaProblem(schema: any, path: string[]): string | undefined {
  const at = `In context=(${path.map((p) => `'${p}'`).join(', ')})`;
  if (!schema || typeof schema !== 'object') return `${at}, schema must be an object`;
  if (Array.isArray(schema.anyOf)) {
    const firsts = schema.anyOf.map((b: any) =>
      b && b.properties ? JSON.stringify([Object.keys(b.properties)[0], b.properties[Object.keys(b.properties)[0]!]]) : undefined,
    );
    const seen = new Set<string>();
    for (const f of firsts) {
      if (f === undefined) continue;
      if (seen.has(f))
        return `${at}, Objects provided via 'anyOf' must not share identical first keys. Consider adding a discriminator key or rearranging the properties to ensure the first key is unique.`;
      seen.add(f);
    }
    for (const [i, b] of schema.anyOf.entries()) {
      const p = strictSchemaProblem(b, [...path, 'anyOf', String(i)]);
      if (p) return p;
    }
    return undefined;
  }
  if (schema.type === undefined && schema.enum === undefined && schema.const === undefined) return `${at}, schema must have a 'type' key.`;
  for (const k of ['oneOf', 'allOf', 'not', 'prefixItems', 'patternProperties']) if (k in schema) return `${at}, '${k}' is not permitted.`;
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (Array.isArray(schema.enum) && types.includes('null') && !schema.enum.includes(null)) return `${at}, enum of a nullable schema must include null.`;
  if (types.includes('object')) {
    if (schema.additionalProperties !== false) return `${at}, 'additionalProperties' is required to be supplied and to be false.`;
    if (typeof schema.properties !== 'object' || schema.properties === null) return `${at}, object schema must have properties.`;
    const keys = Object.keys(schema.properties);
    const required: string[] = schema.required ?? [];
    const missing = keys.filter((k) => !required.includes(k));
    if (missing.length > 0)
      return `${at}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const k of keys) {
      const p = strictSchemaProblem(schema.properties[k], [...path, 'properties', k]);
      if (p) return p;
    }
  }
  if (types.includes('array')) {
    if (!schema.items || typeof schema.items !== 'object' || Array.isArray(schema.items)) return `${at}, array schema must have items.`;
    return strictSchemaProblem(schema.items, [...path, 'items']);
  }
  return undefined;
}

/** OpenAI serving a reasoning model (o-series, gpt-5): max_tokens and a non-default temperature are refused. */
export const openaiReasoningModel: EndpointRules = {
  unsupportedParams: { max_tokens: 'max_completion_tokens' },
  defaultOnlyParams: { temperature: 1, top_p: 1 },
  strictSchemas: true,
};
