import PQueue from 'p-queue';
import OpenAI from 'openai';
import { hashJson, sha256 } from '../../../engine/hash.ts';
import type { OpenAIModelConfig } from '../model-config.ts';

/**
 * One queue per model configuration for the whole process. The engine calls the
 * stage once per session, many at a time, but concurrency and the rate limit
 * belong to the model endpoint: every session's calls to one model must share
 * one queue. Created lazily; never holds secrets (keyed by the config, which names
 * the key's env var, not the key).
 */
const queues = new Map<string, PQueue>();
const clients = new Map<string, OpenAI>();

/** One SDK client per endpoint, key and timeout (it holds the connection pool). Keyed by a hash, never the key itself. */
export function clientFor(config: OpenAIModelConfig, apiKey: string): OpenAI {
  const key = hashJson({ baseURL: config.baseURL, timeoutMs: config.timeoutMs, apiKey: sha256(apiKey) });
  let client = clients.get(key);
  if (!client) {
    client = new OpenAI({ apiKey, baseURL: config.baseURL, maxRetries: 0, timeout: config.timeoutMs });
    clients.set(key, client);
  }
  return client;
}

export function queueFor(config: OpenAIModelConfig): PQueue {
  const key = hashJson({ baseURL: config.baseURL, model: config.model, concurrency: config.concurrency, rpm: config.requestsPerMinute ?? null });
  let queue = queues.get(key);
  if (!queue) {
    queue = new PQueue({ concurrency: config.concurrency, ...rateOptions(config.requestsPerMinute) });
    queues.set(key, queue);
  }
  return queue;
}

/**
 * requestsPerMinute as a strict sliding window of a fifth of a second (so
 * 1200/min is 4 starts per 200 ms, never 1200 in the first second), stretched by
 * 3%. Providers count arrivals in their own rolling windows; small, evenly spread
 * bursts and the headroom absorb network and event-loop jitter that would
 * otherwise push a window over and provoke 429s (bench/llm measures this).
 */
export function rateOptions(rpm: number | undefined): { intervalCap?: number; interval?: number; strict?: boolean } {
  if (rpm === undefined) return {};
  const perWindow = (rpm / 60) * (WINDOW_MS / 1000);
  if (perWindow < 1) return { intervalCap: 1, interval: Math.ceil((60_000 / rpm) * RATE_HEADROOM), strict: true };
  const cap = Math.floor(perWindow);
  return { intervalCap: cap, interval: Math.ceil(((cap * 60_000) / rpm) * RATE_HEADROOM), strict: true };
}

const WINDOW_MS = 200;
const RATE_HEADROOM = 1.03;

const pausedUntil = new WeakMap<PQueue, number>();

/**
 * A 429 means the endpoint's window is full for every caller of this model, not
 * just the one that got it: hold the whole queue for the Retry-After time, so
 * the requests behind it do not all run into the same wall.
 */
export function holdQueue(queue: PQueue, ms: number): void {
  const until = Date.now() + ms;
  if ((pausedUntil.get(queue) ?? 0) >= until) return;
  pausedUntil.set(queue, until);
  queue.pause();
  setTimeout(() => {
    // a later hold replaced this one and has its own timer; timers may fire a millisecond early, so compare the hold, not the clock
    if (pausedUntil.get(queue) === until) queue.start();
  }, ms);
}
