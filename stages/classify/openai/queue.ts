import PQueue from 'p-queue';
import { hashJson } from '../../../engine/hash.ts';
import type { OpenAIModelConfig } from '../model-config.ts';

/**
 * One queue per model configuration for the whole process. The engine calls the
 * stage once per session, many at a time, but concurrency and the rate limit
 * belong to the model endpoint: every session's calls to one model must share
 * one queue. Created lazily; never holds secrets (keyed by the config, which names
 * the key's env var, not the key).
 */
const queues = new Map<string, PQueue>();

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
 * requestsPerMinute as a rolling one-second window (strict sliding window), so a
 * limit of 1200/min never bursts 1200 requests into the first second.
 */
function rateOptions(rpm: number | undefined) {
  if (rpm === undefined) return {};
  if (rpm >= 60) return { intervalCap: Math.floor(rpm / 60), interval: 1000, strict: true };
  return { intervalCap: 1, interval: Math.ceil(60_000 / rpm), strict: true };
}
