import type { OpenAIModelConfig } from '../model-config.ts';
import { modelFamily } from './model-family.ts';

/** What a reply says it used and cost, as read from `usage`. */
export interface ReplyUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the provider's prompt cache (`prompt_tokens_details.cached_tokens`); part of promptTokens. */
  cachedTokens: number;
  costUsd: number;
  /** reported: the endpoint's own `usage.cost` (OpenRouter); price: computed from the configured price; none: unknown, counted as 0. */
  costSource: 'reported' | 'price' | 'none';
}

/**
 * Reads a Chat Completions `usage` block. The endpoint's own cost wins (OpenRouter
 * reports `usage.cost` in credits, 1 credit = 1 USD, on every reply); otherwise the
 * configured price, with cached prompt tokens at `cachedInputPerMTok` or the
 * model family's published cache discount.
 */
export function readUsage(usage: unknown, config: OpenAIModelConfig): ReplyUsage {
  const u = isObject(usage) ? usage : {};
  const promptTokens = count(u.prompt_tokens);
  const completionTokens = count(u.completion_tokens);
  const details = isObject(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const cachedTokens = Math.min(promptTokens, count(details.cached_tokens));
  if (typeof u.cost === 'number' && Number.isFinite(u.cost) && u.cost >= 0) {
    return { promptTokens, completionTokens, cachedTokens, costUsd: u.cost, costSource: 'reported' };
  }
  const price = config.price;
  if (price === undefined) return { promptTokens, completionTokens, cachedTokens, costUsd: 0, costSource: 'none' };
  const cachedPrice = price.cachedInputPerMTok ?? price.inputPerMTok * modelFamily(config.model).cachedInputFactor;
  const costUsd = ((promptTokens - cachedTokens) * price.inputPerMTok + cachedTokens * cachedPrice + completionTokens * price.outputPerMTok) / 1e6;
  return { promptTokens, completionTokens, cachedTokens, costUsd, costSource: 'price' };
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
