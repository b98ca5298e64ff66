import type { OpenAIModelConfig } from '../model-config.ts';
import { profileOf, tokenLimitParam } from './endpoints.ts';
import { modelFamily, SAMPLING_PARAMS } from './model-family.ts';

/** Request fields the provider sets itself; extraBody may not carry them (one source for each). */
const OWN_FIELDS: Record<string, string> = {
  model: 'model',
  messages: 'the prompt template',
  response_format: 'the suite',
  max_tokens: 'maxTokens and maxTokensParam',
  max_completion_tokens: 'maxTokens and maxTokensParam',
  temperature: 'temperature',
  seed: 'seed',
  stream: 'nothing (replies are read whole)',
};

/**
 * The Chat Completions body for one turn. The provider's fields are written
 * after extraBody, and extraBody cannot hold any of them (checked at validate),
 * so exactly one token-limit field is ever sent.
 */
export function requestBody(config: OpenAIModelConfig, messages: unknown[], responseFormat: unknown): Record<string, unknown> {
  const family = modelFamily(config.model);
  const body: Record<string, unknown> = { ...config.extraBody, model: config.model, messages, response_format: responseFormat };
  if (config.temperature !== undefined || !family.reasoning) body.temperature = config.temperature ?? 0;
  body[tokenLimitParam(config)] = config.maxTokens;
  if (config.seed !== undefined) body.seed = config.seed;
  if (profileOf(config).requireParameters) {
    const provider = isObject(config.extraBody.provider) ? config.extraBody.provider : {};
    // explicit config wins: a routing preference written in extraBody.provider is kept as written
    body.provider = { ...provider, require_parameters: provider.require_parameters ?? true };
  }
  return body;
}

/** Validate-time problems of a model configuration, each naming the model and the field to change. */
export function modelConfigProblems(config: OpenAIModelConfig, name: string): { message: string; hint: string }[] {
  const problems: { message: string; hint: string }[] = [];
  const family = modelFamily(config.model);
  const profile = profileOf(config);
  const who = `model "${name}" (${config.model})`;
  for (const key of Object.keys(config.extraBody)) {
    const owner = OWN_FIELDS[key];
    if (owner !== undefined)
      problems.push({ message: `${who}: extraBody.${key} is a field tracepipe sets itself`, hint: `Remove it from extraBody; set it through ${owner}.` });
  }
  if (family.reasoning) {
    const configured = [
      ...(config.temperature === undefined ? [] : ['temperature']),
      ...SAMPLING_PARAMS.filter((p) => p in config.extraBody && !(p in OWN_FIELDS)).map((p) => `extraBody.${p}`),
    ];
    if (configured.length > 0) {
      problems.push({
        message: `${who} is a reasoning model (${family.name} family), which refuses sampling parameters, but ${configured.join(', ')} ${configured.length === 1 ? 'is' : 'are'} configured`,
        hint: 'Remove them: the request then carries none, and the model samples at its fixed default.',
      });
    }
  }
  if (profile.fixedTokenLimit !== undefined && config.maxTokensParam !== undefined && config.maxTokensParam !== profile.fixedTokenLimit) {
    problems.push({
      message: `${who}: the ${profile.endpoint} endpoint reads only ${profile.fixedTokenLimit}, but maxTokensParam is ${config.maxTokensParam}`,
      hint: `Remove maxTokensParam (or set it to ${profile.fixedTokenLimit}); the other field would be ignored and the reply unbounded.`,
    });
  }
  return problems;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
