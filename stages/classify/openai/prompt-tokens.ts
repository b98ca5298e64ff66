import { createRequire } from 'node:module';
import type { Tiktoken } from 'js-tiktoken';
import type { OpenAIModelConfig } from '../model-config.ts';
import { imageTokens, modelFamily } from './model-family.ts';

let encoding: Tiktoken | undefined;
/** o200k_base token count: exact for the gpt-4o, gpt-4.1, gpt-5 and o-series tokenizers, an approximation for others. */
export const countTokens = (text: string) => (encoding ??= loadEncoding()).encode(text).length;

/**
 * js-tiktoken is required on the first count, not imported: its rank tables are 5 MB of
 * JavaScript that only the openai provider needs, and `plan`'s estimate is synchronous.
 */
function loadEncoding(): Tiktoken {
  const { getEncoding } = createRequire(import.meta.url)('js-tiktoken') as typeof import('js-tiktoken');
  return getEncoding('o200k_base');
}

// OpenAI's chat format: a few tokens per message for the role and separators, and a few to prime the reply.
const PER_MESSAGE = 3;
const PER_REPLY = 3;

export interface PromptTokenEstimate {
  /** Message text and the chat format's framing, counted with o200k_base. */
  text: number;
  /** The response_format schema, counted as its JSON text (the endpoint renders it into the prompt in its own way). */
  schema: number;
  /** Images by the model family's rule (model-family.ts). */
  images: number;
  total: number;
}

type Part = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail: string } };

/** What one request will put in the model's context, before it is sent. */
export function estimatePromptTokens(
  messages: { content: string | Part[] }[],
  images: { width: number; height: number }[],
  schema: unknown,
  config: OpenAIModelConfig,
): PromptTokenEstimate {
  let text = PER_REPLY;
  for (const m of messages) {
    text += PER_MESSAGE;
    if (typeof m.content === 'string') text += countTokens(m.content);
    else for (const part of m.content) if (part.type === 'text') text += countTokens(part.text);
  }
  const rule = modelFamily(config.model).image;
  const imageTotal = images.reduce((n, i) => n + imageTokens(rule, i.width, i.height, config.imageDetail), 0);
  const schemaTokens = schema === undefined ? 0 : countTokens(JSON.stringify(schema));
  return { text, schema: schemaTokens, images: imageTotal, total: text + schemaTokens + imageTotal };
}
