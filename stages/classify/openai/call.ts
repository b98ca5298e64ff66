import type OpenAI from 'openai';
import type PQueue from 'p-queue';
import { hashJson } from '../../../engine/hash.ts';
import { modelError, TracepipeError } from '../../../engine/errors.ts';
import type { Memo, Metrics } from '../../../engine/stage.ts';
import type { OpenAIModelConfig } from '../model-config.ts';
import { backoffMs, MAX_RETRY_AFTER_MS, sleep } from './backoff.ts';
import { describeFailure, type CallFailure } from './failures.ts';
import { holdQueue } from './queue.ts';

/** What a successful call leaves behind; this is what the memo stores. */
export interface Completion {
  content: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  costUsd: number;
}

export interface CallDeps {
  client: OpenAI;
  queue: PQueue;
  config: OpenAIModelConfig;
  memo: Memo;
  metrics: Metrics;
  signal: AbortSignal;
  emit(type: string, data?: Record<string, unknown>): void;
}

export const MEMO_NAMESPACE = 'openai';

/** The request-cache key: the full request body and the endpoint it goes to. */
export function requestKey(baseURL: string, body: Record<string, unknown>): string {
  return hashJson({ baseURL, body });
}

/**
 * One Chat Completions call: the memo first (a resumed run never pays twice),
 * then the model's queue, with our own retry loop (the SDK's is switched off) that
 * honours Retry-After and never retries a permanent error.
 */
export async function complete(body: Record<string, unknown>, deps: CallDeps): Promise<Completion> {
  const { config, metrics } = deps;
  const key = requestKey(config.baseURL, body);
  const cached = deps.memo.get(MEMO_NAMESPACE, key) as Completion | undefined;
  if (cached && typeof cached.content === 'string') {
    metrics.add('llm.cacheHits', 1);
    return cached;
  }

  let failure: CallFailure | undefined;
  for (let attempt = 0; attempt <= config.maxRetries; attempt++) {
    if (attempt > 0 && failure) {
      const wait = failure.retryAfterMs ?? backoffMs(attempt - 1);
      if (wait > MAX_RETRY_AFTER_MS) break;
      metrics.add('llm.retries', 1);
      deps.emit('llm.retry', { attempt, waitMs: wait, reason: failure.message, ...(failure.status ? { status: failure.status } : {}) });
      await sleep(wait, deps.signal).catch(() => {
        throw aborted();
      });
    }
    const outcome = await deps.queue.add(() => attemptOnce(body, deps), { signal: deps.signal }).catch((err: unknown) => {
      if (deps.signal.aborted) throw aborted();
      throw err;
    });
    if ('completion' in outcome) {
      const c = outcome.completion;
      deps.memo.set(MEMO_NAMESPACE, key, c);
      metrics.add('llm.calls', 1);
      metrics.add('llm.promptTokens', c.promptTokens);
      metrics.add('llm.completionTokens', c.completionTokens);
      metrics.add('llm.costUsd', c.costUsd);
      metrics.add('llm.latencyMs', c.latencyMs);
      return c;
    }
    failure = outcome.failure;
    if (failure.status === 429 && failure.retryAfterMs !== undefined && failure.retryAfterMs <= MAX_RETRY_AFTER_MS) holdQueue(deps.queue, failure.retryAfterMs);
    if (failure.kind === 'aborted') throw aborted();
    if (failure.kind === 'permanent') break;
  }
  throw callError(failure!, config);
}

async function attemptOnce(body: Record<string, unknown>, deps: CallDeps): Promise<{ completion: Completion } | { failure: CallFailure }> {
  const started = performance.now();
  try {
    const res = await deps.client.chat.completions.create(body as never, { signal: deps.signal, timeout: deps.config.timeoutMs, maxRetries: 0 });
    const latencyMs = Math.round(performance.now() - started);
    const promptTokens = res.usage?.prompt_tokens ?? 0;
    const completionTokens = res.usage?.completion_tokens ?? 0;
    const price = deps.config.price;
    const costUsd = price ? (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1e6 : 0;
    const message = res.choices?.[0]?.message;
    return {
      completion: { content: message?.content ?? message?.refusal ?? '', model: res.model ?? deps.config.model, promptTokens, completionTokens, latencyMs, costUsd },
    };
  } catch (err) {
    return { failure: describeFailure(err) };
  }
}

function aborted() {
  return new TracepipeError('TP_ABORTED', 'the run was interrupted while waiting for the model');
}

function callError(f: CallFailure, config: OpenAIModelConfig): TracepipeError {
  const where = `model "${config.model}" at ${config.baseURL}`;
  const details = { kind: f.kind, ...(f.status === undefined ? {} : { status: f.status }) };
  switch (f.kind) {
    case 'timeout':
      return modelError(`timeout: ${where} did not reply within ${config.timeoutMs} ms (after ${config.maxRetries + 1} attempts)`, {
        hint: 'Raise timeoutMs in the model configuration, lower concurrency, or check the endpoint.',
        details,
      });
    case 'transient':
      return modelError(`${where} kept failing: ${f.message} (after ${config.maxRetries + 1} attempts or a Retry-After over ${MAX_RETRY_AFTER_MS / 1000} s)`, {
        hint: 'The endpoint is overloaded or down; resume the run later (finished calls are cached), or lower requestsPerMinute.',
        details,
      });
    case 'permanent':
      return modelError(`${where} rejected the request: ${f.message}`, {
        hint:
          f.status === 401 || f.status === 403
            ? `Check the API key in the environment variable ${config.apiKeyEnv}.`
            : f.status === 404
              ? 'Check baseURL and the model name.'
              : 'The request is not accepted by this endpoint; check the model configuration (model, extraBody, structured output support).',
        details,
      });
    case 'aborted':
      return aborted();
  }
}
