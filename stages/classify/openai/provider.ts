import { configError, modelError } from '../../../engine/errors.ts';
import type { ArtifactStore, Env, Memo, Metrics } from '../../../engine/stage.ts';
import type { ClassifiedSpan, ModelUsage } from '../../../domain/session/classification.ts';
import type { Timeline } from '../../../domain/session/timeline.ts';
import type { Suite } from '../../../domain/suite/index.ts';
import type { OpenAIModelConfig } from '../model-config.ts';
import type { ClassifyOptions } from '../options.ts';
import { complete, type Completion } from './call.ts';
import { mergeChunkSpans } from './chunks.ts';
import type { PromptTexts } from './prompt.ts';
import { clientFor, queueFor } from './queue.ts';
import { checkReply } from './reply.ts';
import { checkContextFits, checkFinish } from './finish.ts';
import { chunkRequests, type Message } from './requests.ts';
import { LLM_EVENT } from '../../../domain/session/llm-metrics.ts';

export interface OpenAIClassifyDeps {
  config: OpenAIModelConfig;
  options: ClassifyOptions;
  prompt: PromptTexts;
  artifacts: ArtifactStore;
  memo: Memo;
  metrics: Metrics;
  signal: AbortSignal;
  emit(type: string, data?: Record<string, unknown>): void;
  /** Where the API key is read from (the stage's `ctx.env`). */
  env: Env;
}

/**
 * Classifies a timeline with an OpenAI-compatible endpoint: one request per chunk
 * of steps (plus at most one repair turn each), spans merged across chunks.
 */
export async function classifyWithOpenAI(timeline: Timeline, suite: Suite, deps: OpenAIClassifyDeps): Promise<{ spans: ClassifiedSpan[]; usage: ModelUsage }> {
  const { config } = deps;
  const apiKey = deps.env[config.apiKeyEnv];
  if (!apiKey) {
    throw configError(`the API key environment variable ${config.apiKeyEnv} is not set (model "${config.model}")`, {
      hint: `export ${config.apiKeyEnv}=... before running, or set apiKeyEnv in the model configuration.`,
    });
  }
  const client = clientFor(config, apiKey);
  const callDeps = { client, queue: queueFor(config), config, memo: deps.memo, metrics: deps.metrics, signal: deps.signal, emit: deps.emit };
  const usage: ModelUsage = { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMs: 0 };
  const record = (c: Completion) => {
    usage.calls += 1;
    usage.promptTokens += c.promptTokens;
    usage.completionTokens += c.completionTokens;
    usage.costUsd += c.costUsd;
    usage.latencyMs += c.latencyMs;
  };

  const requests = chunkRequests(timeline, suite, deps);
  // allSettled: when one chunk fails, the others still finish, so their paid replies reach the memo for the resume.
  const settled = await Promise.allSettled(
    requests.map(async (request, i) => {
      const { messages, range, body } = request;
      checkContextFits(request, config);
      const first = await complete(body(messages), callDeps);
      record(first);
      checkFinish(first, config, range);
      const firstCheck = checkReply(first.content, suite, range);
      if (firstCheck.ok) return firstCheck.spans;

      deps.emit(LLM_EVENT.repair, { chunk: i + 1, problems: firstCheck.problems });
      const repairMessages: Message[] = [
        ...messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: repairRequest(firstCheck.problems) },
      ];
      const second = await complete(body(repairMessages), callDeps);
      record(second);
      checkFinish(second, config, range);
      const secondCheck = checkReply(second.content, suite, range);
      if (secondCheck.ok) return secondCheck.spans;
      throw modelError(
        `model "${config.model}" replied with unusable spans for steps ${range.first}-${range.last}, also after a repair turn: ${secondCheck.problems.join('; ')}`,
        {
          hint: 'See details for the raw replies; try a stronger model, or check the suite action descriptions.',
          details: {
            kind: 'unusable',
            problems: secondCheck.problems,
            firstProblems: firstCheck.problems,
            rawReply: second.content,
            firstRawReply: first.content,
          },
        },
      );
    }),
  );
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const perChunk = settled.map((r) => (r as PromiseFulfilledResult<ClassifiedSpan[]>).value);
  usage.costUsd = Math.round(usage.costUsd * 1e9) / 1e9;
  return { spans: mergeChunkSpans(perChunk), usage };
}

function repairRequest(problems: string[]): string {
  return [
    'Your reply cannot be used:',
    ...problems.map((p) => `- ${p}`),
    'Reply again with the complete corrected JSON object {"spans": [...]}, using only the listed actions and their parameter schemas.',
  ].join('\n');
}
