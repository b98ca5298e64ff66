import type { ModelUsage } from './classification.ts';

/**
 * The names of what a model-backed stage counts, in one place: classify records them, and
 * the run summary, the API, the report and compare read them. The engine sums metrics and
 * passes estimates through without knowing these names.
 */

/** Run metrics (`ctx.metrics.add`), summed over a run's items. */
export const LLM_METRIC = {
  calls: 'llm.calls',
  promptTokens: 'llm.promptTokens',
  completionTokens: 'llm.completionTokens',
  costUsd: 'llm.costUsd',
  latencyMs: 'llm.latencyMs',
  cachedTokens: 'llm.cachedTokens',
  /** Replies served from the memo instead of a call. */
  cacheHits: 'llm.cacheHits',
  retries: 'llm.retries',
  /** Calls whose cost nothing priced (no reported cost, no configured price). */
  unpricedCalls: 'llm.unpricedCalls',
} as const;
export type LlmMetric = (typeof LLM_METRIC)[keyof typeof LLM_METRIC];

/** Figures `plan` shows for what classifying an item would spend (a stage's `estimate`). */
export const LLM_ESTIMATE = {
  calls: 'llm.calls',
  /** Requests already in the memo, which a run would not pay for. */
  memoized: 'llm.memoized',
  inputTokens: 'llm.inputTokens',
  inputCostUsd: 'llm.inputCostUsd',
  inputTextTokens: 'llm.inputTokens.text',
  inputSchemaTokens: 'llm.inputTokens.schema',
  inputImageTokens: 'llm.inputTokens.images',
} as const;
export type LlmEstimate = (typeof LLM_ESTIMATE)[keyof typeof LLM_ESTIMATE];

/** Progress events a model-backed stage emits (`ctx.emit`). */
export const LLM_EVENT = {
  /** A call is retried after a transient failure. */
  retry: 'llm.retry',
  /** A reply failed its checks and the model is asked to repair it. */
  repair: 'llm.repair',
} as const;

/** A run's model usage from its summed metrics (0 for what it never counted). */
export function usageFromMetrics(metrics: Readonly<Record<string, number>>): ModelUsage {
  return {
    calls: metrics[LLM_METRIC.calls] ?? 0,
    promptTokens: metrics[LLM_METRIC.promptTokens] ?? 0,
    completionTokens: metrics[LLM_METRIC.completionTokens] ?? 0,
    costUsd: metrics[LLM_METRIC.costUsd] ?? 0,
    latencyMs: metrics[LLM_METRIC.latencyMs] ?? 0,
  };
}
