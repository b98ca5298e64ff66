import type OpenAI from 'openai';
import type PQueue from 'p-queue';
import { modelError, TracepipeError } from '../../../engine/errors.ts';
import type { Memo, Metrics } from '../../../engine/stage.ts';
import type { OpenAIModelConfig } from '../model-config.ts';
import { backoffMs, MAX_RETRY_AFTER_MS, sleep } from './backoff.ts';
import { describeFailure, type CallFailure } from './failures.ts';
import { holdQueue } from './queue.ts';
import { readUsage, type ReplyUsage } from './usage.ts';
import { LLM_EVENT, LLM_METRIC } from '../../../domain/session/llm-metrics.ts';
import { MEMO_NAMESPACE, requestKey } from './requests.ts';

/** What a successful call leaves behind; this is what the memo stores. */
export interface Completion {
  content: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  costUsd: number;
  /** Absent in replies memoized before classify@3: read as `stop`. */
  finishReason?: string;
  /** The model's refusal text, when it declined to answer. */
  refusal?: string;
  cachedTokens?: number;
  costSource?: ReplyUsage['costSource'];
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
    metrics.add(LLM_METRIC.cacheHits, 1);
    return cached;
  }

  let failure: CallFailure | undefined;
  for (let attempt = 0; attempt <= config.maxRetries; attempt++) {
    if (attempt > 0 && failure) {
      const wait = failure.retryAfterMs ?? backoffMs(attempt - 1);
      if (wait > MAX_RETRY_AFTER_MS) break;
      metrics.add(LLM_METRIC.retries, 1);
      deps.emit(LLM_EVENT.retry, { attempt, waitMs: wait, reason: failure.message, ...(failure.status ? { status: failure.status } : {}) });
      await sleep(wait, deps.signal).catch(() => {
        throw aborted();
      });
    }
    const outcome = await deps.queue
      .add(() => attemptOnce(body, deps), { signal: deps.signal })
      .catch((err: unknown) => {
        if (deps.signal.aborted) throw aborted();
        throw err;
      });
    if ('completion' in outcome) {
      const c = outcome.completion;
      deps.memo.set(MEMO_NAMESPACE, key, c);
      metrics.add(LLM_METRIC.calls, 1);
      metrics.add(LLM_METRIC.promptTokens, c.promptTokens);
      metrics.add(LLM_METRIC.completionTokens, c.completionTokens);
      metrics.add(LLM_METRIC.costUsd, c.costUsd);
      metrics.add(LLM_METRIC.latencyMs, c.latencyMs);
      if (c.cachedTokens) metrics.add(LLM_METRIC.cachedTokens, c.cachedTokens);
      if (c.costSource === 'none') metrics.add(LLM_METRIC.unpricedCalls, 1);
      return c;
    }
    failure = outcome.failure;
    if (failure.kind === 'transient' && failure.status === 429 && failure.retryAfterMs !== undefined && failure.retryAfterMs <= MAX_RETRY_AFTER_MS)
      holdQueue(deps.queue, failure.retryAfterMs);
    if (failure.kind === 'aborted') throw aborted();
    if (failure.kind === 'permanent' || failure.kind === 'quota') break;
  }
  throw callError(failure!, config);
}

async function attemptOnce(body: Record<string, unknown>, deps: CallDeps): Promise<{ completion: Completion } | { failure: CallFailure }> {
  const started = performance.now();
  try {
    const res = await deps.client.chat.completions.create(body as never, { signal: deps.signal, timeout: deps.config.timeoutMs, maxRetries: 0 });
    const latencyMs = Math.round(performance.now() - started);
    const usage = readUsage(res.usage, deps.config);
    const choice = res.choices?.[0];
    const message = choice?.message;
    return {
      completion: {
        content: message?.content ?? '',
        model: res.model ?? deps.config.model,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        latencyMs,
        costUsd: usage.costUsd,
        finishReason: choice?.finish_reason ?? 'stop',
        ...(typeof message?.refusal === 'string' && message.refusal !== '' ? { refusal: message.refusal } : {}),
        cachedTokens: usage.cachedTokens,
        costSource: usage.costSource,
      },
    };
  } catch (err) {
    return { failure: describeFailure(err) };
  }
}

/** What to change after a permanent rejection, from the endpoint's known answers. */
function rejectionHint(f: CallFailure, config: OpenAIModelConfig): string {
  if (f.status === 401 || f.status === 403) return `Check the API key in the environment variable ${config.apiKeyEnv}.`;
  if (/is not a multimodal model|does not support (image|multimodal|vision)/i.test(f.message))
    return 'This model reads no images: set `images: false` in its model configuration.';
  const atMost = /At most (\d+) image\(s\)/i.exec(f.message);
  if (atMost)
    return `The server takes at most ${atMost[1]} image(s) per request: set \`imagesPerRequest: ${atMost[1]}\` (or raise the server's --limit-mm-per-prompt).`;
  const param = /Unsupported (parameter|value): '([a-z_]+)'/i.exec(f.message);
  if (param) return `This model does not accept ${param[2]}: remove it from the model configuration, or set maxTokensParam for the token limit field.`;
  if (/No endpoints found/i.test(f.message))
    return 'No provider of this model on OpenRouter supports every parameter sent (require_parameters is on because a schema is sent): choose a model that supports structured outputs.';
  if (f.status === 404) return 'Check baseURL and the model name.';
  return 'The request is not accepted by this endpoint; check the model configuration (model, endpoint, extraBody, structured output support).';
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
      return modelError(`${where} rejected the request: ${f.message}`, { hint: rejectionHint(f, config), details });
    case 'quota':
      return modelError(`${where} refused the request: the account's quota is used up (${f.message})`, {
        hint: `Add credit or raise the limit for the key in ${config.apiKeyEnv}, then resume the run (finished calls are cached); retrying sooner cannot help.`,
        details,
      });
    case 'aborted':
      return aborted();
  }
}
