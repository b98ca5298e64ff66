import { z } from 'zod';

/** The endpoint families whose quirks the openai provider knows (stages/classify/README.md). */
export const ENDPOINTS = ['openai', 'openrouter', 'vllm', 'ollama', 'generic'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** An OpenAI-compatible Chat Completions endpoint (OpenAI, OpenRouter, vLLM, Ollama, llama.cpp). */
export const OpenAIModelConfig = z.strictObject({
  provider: z.literal('openai'),
  model: z.string().min(1),
  baseURL: z.string().url().default('https://api.openai.com/v1'),
  /** Which endpoint's rules to follow; inferred from baseURL when absent (api.openai.com, openrouter.ai, port 11434), else `generic`. */
  endpoint: z.enum(ENDPOINTS).optional(),
  /** Name of the environment variable holding the API key (never the key itself). */
  apiKeyEnv: z.string().min(1).default('OPENAI_API_KEY'),
  /** Sent as 0 unless the model refuses sampling parameters (o-series, gpt-5); configuring it for such a model is an error. */
  temperature: z.number().min(0).max(2).optional(),
  seed: z.number().int().optional(),
  maxTokens: z.number().int().positive().default(4096),
  /** The request field that carries maxTokens; by default from the endpoint and the model family. */
  maxTokensParam: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
  /** Extra request-body fields for endpoint-specific knobs (e.g. vLLM's `top_k`); never a field the provider sets itself. */
  extraBody: z.record(z.string(), z.unknown()).default({}),
  timeoutMs: z.number().int().positive().default(120_000),
  /** Retries after the first attempt, for timeouts and transient errors only. */
  maxRetries: z.number().int().min(0).default(4),
  concurrency: z.number().int().positive().default(4),
  requestsPerMinute: z.number().positive().optional(),
  /** USD per million tokens; used when the endpoint reports no cost of its own. */
  price: z
    .strictObject({
      inputPerMTok: z.number().min(0),
      outputPerMTok: z.number().min(0),
      /** Price of prompt tokens served from the provider's prompt cache; defaults to the model family's published discount. */
      cachedInputPerMTok: z.number().min(0).optional(),
    })
    .optional(),
  /** Send keyframes as image parts (false for text-only models). */
  images: z.boolean().default(true),
  imageDetail: z.enum(['low', 'high', 'auto', 'original']).default('low'),
  /** Most images the server accepts in one request (vLLM's --limit-mm-per-prompt; 1 by default on vllm). */
  imagesPerRequest: z.number().int().min(0).optional(),
  /** Context window the server runs the model with (Ollama: OLLAMA_CONTEXT_LENGTH, 4096 by default); longer prompts fail before they are sent. */
  contextLength: z.number().int().positive().optional(),
});
export type OpenAIModelConfig = z.infer<typeof OpenAIModelConfig>;

export const RulesModelConfig = z.looseObject({ provider: z.literal('rules') });
export type RulesModelConfig = z.infer<typeof RulesModelConfig>;

export const ClassifyModelConfig = z.discriminatedUnion('provider', [OpenAIModelConfig, RulesModelConfig]);
export type ClassifyModelConfig = z.infer<typeof ClassifyModelConfig>;
