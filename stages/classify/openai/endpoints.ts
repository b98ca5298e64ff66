import type { Endpoint, OpenAIModelConfig } from '../model-config.ts';
import { modelFamily } from './model-family.ts';

/**
 * What one endpoint family needs that the others do not (stages/classify/README.md):
 * - openai: reasoning models (o-series, gpt-5) take max_completion_tokens and no sampling parameters
 * - openrouter: documents max_tokens for every model and translates it; `provider.require_parameters`
 *   when a schema is sent, so a request is never routed to a provider that would drop the schema;
 *   reports its own cost in `usage.cost`
 * - vllm: image count per request limited by --limit-mm-per-prompt (1 unless the server says more)
 * - ollama: reads only max_tokens; runs a fixed context window and silently truncates beyond it
 * - generic: any other OpenAI-compatible server (llama.cpp, LM Studio...): the openai rules
 */
export interface EndpointProfile {
  endpoint: Endpoint;
  /** The limit field a model family gets unless configured; `fixed` means the endpoint reads no other. */
  tokenLimit: (model: string) => 'max_tokens' | 'max_completion_tokens';
  fixedTokenLimit?: 'max_tokens';
  requireParameters: boolean;
  /** Images per request when the configuration says nothing. */
  defaultImagesPerRequest?: number;
  /** Context window when the configuration says nothing. */
  defaultContextLength?: number;
}

const byFamily = (model: string) => (modelFamily(model).reasoning ? 'max_completion_tokens' : 'max_tokens');

const PROFILES: Record<Endpoint, EndpointProfile> = {
  openai: { endpoint: 'openai', tokenLimit: byFamily, requireParameters: false },
  openrouter: { endpoint: 'openrouter', tokenLimit: () => 'max_tokens', requireParameters: true },
  vllm: { endpoint: 'vllm', tokenLimit: () => 'max_tokens', requireParameters: false, defaultImagesPerRequest: 1 },
  ollama: { endpoint: 'ollama', tokenLimit: () => 'max_tokens', fixedTokenLimit: 'max_tokens', requireParameters: false, defaultContextLength: 4096 },
  generic: { endpoint: 'generic', tokenLimit: byFamily, requireParameters: false },
};

/** The configured endpoint, else the one baseURL names, else `generic`. */
export function endpointOf(config: Pick<OpenAIModelConfig, 'endpoint' | 'baseURL'>): Endpoint {
  if (config.endpoint) return config.endpoint;
  let url: URL;
  try {
    url = new URL(config.baseURL);
  } catch {
    return 'generic';
  }
  const host = url.hostname.toLowerCase();
  if (host === 'api.openai.com') return 'openai';
  if (host === 'openrouter.ai' || host.endsWith('.openrouter.ai')) return 'openrouter';
  if (url.port === '11434') return 'ollama';
  return 'generic';
}

export function profileOf(config: Pick<OpenAIModelConfig, 'endpoint' | 'baseURL'>): EndpointProfile {
  return PROFILES[endpointOf(config)];
}

/** The field that carries maxTokens in this configuration's requests: explicit config wins. */
export function tokenLimitParam(config: OpenAIModelConfig): 'max_tokens' | 'max_completion_tokens' {
  return config.maxTokensParam ?? profileOf(config).tokenLimit(config.model);
}

/** Images one request may carry: the smaller of the stage's maxImages and the endpoint's limit. */
export function imagesPerRequest(config: OpenAIModelConfig, maxImages: number): number {
  if (!config.images) return 0;
  const limit = config.imagesPerRequest ?? profileOf(config).defaultImagesPerRequest;
  return limit === undefined ? maxImages : Math.min(maxImages, limit);
}

export function contextLength(config: OpenAIModelConfig): number | undefined {
  return config.contextLength ?? profileOf(config).defaultContextLength;
}
