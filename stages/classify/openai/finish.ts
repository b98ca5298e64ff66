import { modelError } from '../../../engine/errors.ts';
import type { OpenAIModelConfig } from '../model-config.ts';
import type { Completion } from './call.ts';
import { contextLength, endpointOf } from './endpoints.ts';
import { estimatePromptTokens } from './prompt-tokens.ts';
import type { ChunkRequest } from './requests.ts';

/**
 * Replies that ended for a reason a repair turn cannot fix, each its own failure
 * kind: `refused` (the model declined, or a content filter stopped it), `truncated`
 * (finish_reason length: the reply hit maxTokens), `context-full` (the prompt and
 * reply filled the server's context window, so the prompt was probably cut).
 */
export function checkFinish(c: Completion, config: OpenAIModelConfig, range: { first: number; last: number }): void {
  const steps = `steps ${range.first}-${range.last}`;
  if (c.refusal !== undefined || c.finishReason === 'content_filter') {
    throw modelError(`model "${config.model}" refused to classify ${steps}${c.refusal ? `: ${c.refusal}` : ' (stopped by a content filter)'}`, {
      hint: 'A refusal is not retried or repaired; look at the trace text of those steps, or use another model.',
      details: { kind: 'refused', ...(c.refusal ? { refusal: c.refusal } : {}), finishReason: c.finishReason ?? 'stop' },
    });
  }
  const window = contextLength(config);
  if (window !== undefined && c.promptTokens + c.completionTokens >= window) {
    throw modelError(
      `model "${config.model}" filled its ${window}-token context window on ${steps} (${c.promptTokens} prompt + ${c.completionTokens} reply tokens): the prompt was probably cut short`,
      {
        hint: contextHint(config),
        details: { kind: 'context-full', promptTokens: c.promptTokens, completionTokens: c.completionTokens, contextLength: window },
      },
    );
  }
  if (c.finishReason === 'length') {
    throw modelError(`model "${config.model}" was cut off at maxTokens (${config.maxTokens}) while classifying ${steps}`, {
      hint: 'Raise maxTokens (a reasoning model spends part of it thinking) or lower chunkSteps; a repair turn would be cut off the same way.',
      details: { kind: 'truncated', maxTokens: config.maxTokens, completionTokens: c.completionTokens, rawReply: c.content },
    });
  }
}

/** Fails a request before it is sent when its estimated prompt plus maxTokens exceeds the configured context window. */
export function checkContextFits(request: ChunkRequest, config: OpenAIModelConfig): void {
  const window = contextLength(config);
  if (window === undefined) return;
  const estimate = estimatePromptTokens(request.messages, request.images, request.schema, config);
  if (estimate.total + config.maxTokens <= window) return;
  throw modelError(
    `the request for steps ${request.range.first}-${request.range.last} needs about ${estimate.total} prompt tokens plus maxTokens ${config.maxTokens}, more than the ${window}-token context window of model "${config.model}"`,
    { hint: contextHint(config), details: { kind: 'context-full', estimatedPromptTokens: estimate.total, maxTokens: config.maxTokens, contextLength: window } },
  );
}

function contextHint(config: OpenAIModelConfig): string {
  const server =
    endpointOf(config) === 'ollama'
      ? 'start Ollama with a larger OLLAMA_CONTEXT_LENGTH and set contextLength to it'
      : 'raise contextLength to what the server runs';
  return `Lower maxTokens (the reply must fit in the window too), chunkSteps or maxImages, or ${server}.`;
}
