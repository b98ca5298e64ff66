import { fileURLToPath } from 'node:url';
import { classifyStage, ClassifyOptions } from '../../stages/classify/index.ts';
import type { Classification } from '../../domain/session/classification.ts';
import type { NetworkRequest, Step, Timeline } from '../../domain/session/timeline.ts';
import type { Memo } from '../../engine/stage.ts';
import { diskFiles, mapContext, memoryMemo } from '../helpers/stage-context.ts';

export const SUITE = fileURLToPath(new URL('../../pipelines/suites/gmail.yaml', import.meta.url));
export const API_KEY_ENV = 'TP_FAKE_OPENAI_KEY';
/** The key every classify context's environment holds, as the stage reads it (ctx.env). */
export const TEST_API_KEY = 'sk-test-123';

export function openaiModel(url: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'openai',
    baseURL: url,
    apiKeyEnv: API_KEY_ENV,
    model: 'fake-model',
    temperature: 0,
    seed: 7,
    maxTokens: 2000,
    timeoutMs: 3000,
    maxRetries: 2,
    concurrency: 4,
    price: { inputPerMTok: 1, outputPerMTok: 2 },
    ...over,
  };
}

let nextId = 1;
export function step(kind: Step['kind'], extra: Partial<Step> = {}): Step {
  const id = nextId++;
  return { id, kind, t0: id * 1000, t1: id * 1000 + 100, network: [], sourceEvents: [`input_events.jsonl:${id}`], ...extra };
}

export function request(method: string, path: string, body?: unknown, status = 200): NetworkRequest {
  return { id: `req-${method}-${path}`, t: 0, method, url: `http://127.0.0.1:5173${path}`, status, ...(body === undefined ? {} : { requestBody: body }) };
}

/** Renumbers steps 1..n (helpers build them from a global counter). */
export function timeline(steps: Step[], over: Partial<Timeline> = {}): Timeline {
  return {
    sessionId: 'sess-1',
    suite: 'gmail',
    description: 'Send Bob a hello and archive the newsletter',
    steps: steps.map((s, i) => ({ ...s, id: i + 1 })),
    preamble: [],
    ...over,
  };
}

/** Compose to bob, send; open m-0007 and archive it. */
export function sendAndArchive(): Timeline {
  return timeline([
    step('click', { target: { role: 'button', name: 'Compose' } }),
    step('type', { target: { field: 'to', role: 'textbox', name: 'To' }, text: 'bob@example.com' }),
    step('type', { target: { field: 'subject', role: 'textbox', name: 'Subject' }, text: 'Hello' }),
    step('type', { target: { field: 'body', role: 'textbox', name: 'Body' }, text: 'Hi Bob, lunch at noon?' }),
    step('click', {
      target: { role: 'button', name: 'Send' },
      network: [request('POST', '/api/messages/send', { to: ['bob@example.com'], cc: [], subject: 'Hello', body: 'Hi Bob, lunch at noon?' })],
    }),
    step('click', { target: { role: 'row', name: 'Weekly newsletter' }, network: [request('GET', '/api/messages/m-0007')] }),
    step('click', {
      target: { role: 'button', name: 'Archive' },
      network: [request('POST', '/api/messages/m-0007/modify', { addLabels: [], removeLabels: ['INBOX'] })],
    }),
  ]);
}

export function classifyContext(opts: {
  model: Record<string, unknown>;
  timeline: Timeline;
  memo?: Memo;
  options?: Partial<ClassifyOptions>;
  signal?: AbortSignal;
  prompt?: string;
}) {
  const node = {
    id: 'classify',
    uses: 'classify',
    needs: ['normalize'],
    model: { name: 'm', config: opts.model },
    ...(opts.prompt ? { prompt: opts.prompt } : {}),
  };
  const pipeline = { suite: SUITE };
  const ctx = mapContext({
    options: ClassifyOptions.parse(opts.options ?? {}),
    item: { id: opts.timeline.sessionId },
    upstream: { timeline: opts.timeline },
    node,
    pipeline,
    ...(opts.signal ? { signal: opts.signal } : {}),
    env: { ...process.env, [API_KEY_ENV]: TEST_API_KEY },
  });
  ctx.files = diskFiles(classifyStage.keyFiles!(ctx.node, ctx.pipeline).map((f) => f.path));
  ctx.memo = opts.memo ?? memoryMemo();
  return ctx;
}

export async function runClassify(ctx: ReturnType<typeof classifyContext>): Promise<Classification> {
  return (await classifyStage.run(ctx)) as Classification;
}

/** Awaits a promise expected to reject and returns the error. */
export async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure, but it succeeded');
}
