import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenAI-compatible Chat Completions server on 127.0.0.1, scripted per
 * test. It speaks HTTP like the real API (status, headers, JSON bodies), counts
 * and records every request, and can be slow, rate-limited, hang or reply with
 * garbage. Used by the classify tests and bench/llm through the real `openai` SDK.
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
  usage?: { prompt_tokens: number; completion_tokens: number };
  delayMs?: number;
  /** Never answer (for timeouts); the socket is closed at server close. */
  hang?: boolean;
}

export type Handler = (req: RecordedRequest) => Reply | Promise<Reply>;

export interface FakeServerOptions {
  /** Replies used in order; after they run out, `handler` (or a 500 saying the script ran out). */
  replies?: Reply[];
  handler?: Handler;
  /** Added to every reply's delay. */
  latencyMs?: number;
  /** Beyond this many requests in any rolling second: 429 with Retry-After. */
  rateLimit?: { perSecond: number; retryAfterSeconds?: number; retryAfterMs?: number };
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

export function completion(content: string, usage = { prompt_tokens: 100, completion_tokens: 20 }, model = 'fake-model') {
  return {
    id: `chatcmpl-fake`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
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

  const server = createServer(async (req, res) => {
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
    const reply: Reply = queue.shift() ?? (handler ? await handler(recorded) : { status: 500, body: { error: { message: 'fake server: no scripted reply left' } } });
    const delay = (reply.delayMs ?? 0) + (opts.latencyMs ?? 0);
    if (reply.hang) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (!res.destroyed) send(res, reply);
  });
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
  else if (reply.content !== undefined || reply.json !== undefined) {
    payload = JSON.stringify(completion(reply.content ?? JSON.stringify(reply.json), reply.usage));
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
