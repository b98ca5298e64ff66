import { z } from 'zod';

/** An OpenAI-compatible Chat Completions endpoint (OpenAI, OpenRouter, vLLM, Ollama, llama.cpp). */
export const OpenAIModelConfig = z.strictObject({
  provider: z.literal('openai'),
  model: z.string().min(1),
  baseURL: z.string().url().default('https://api.openai.com/v1'),
  /** Name of the environment variable holding the API key (never the key itself). */
  apiKeyEnv: z.string().min(1).default('OPENAI_API_KEY'),
  temperature: z.number().min(0).max(2).default(0),
  seed: z.number().int().optional(),
  maxTokens: z.number().int().positive().default(4096),
  /** Extra request-body fields for endpoint-specific knobs (e.g. vLLM's `top_k`). */
  extraBody: z.record(z.string(), z.unknown()).default({}),
  timeoutMs: z.number().int().positive().default(120_000),
  /** Retries after the first attempt, for timeouts and transient errors only. */
  maxRetries: z.number().int().min(0).default(4),
  concurrency: z.number().int().positive().default(4),
  requestsPerMinute: z.number().positive().optional(),
  /** USD per million tokens. */
  price: z.strictObject({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) }).optional(),
  /** Send keyframes as image parts. */
  images: z.boolean().default(true),
  imageDetail: z.enum(['low', 'high', 'auto']).default('low'),
});
export type OpenAIModelConfig = z.infer<typeof OpenAIModelConfig>;

export const RulesModelConfig = z.looseObject({ provider: z.literal('rules') });
export type RulesModelConfig = z.infer<typeof RulesModelConfig>;

export const ClassifyModelConfig = z.discriminatedUnion('provider', [OpenAIModelConfig, RulesModelConfig]);
export type ClassifyModelConfig = z.infer<typeof ClassifyModelConfig>;
