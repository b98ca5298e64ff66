import { getEncoding, type Tiktoken } from 'js-tiktoken';
import type { EstimateContext } from '../../engine/stage.ts';
import { loadSuite, parseModel, pickTimeline, readPrompt } from './load.ts';
import { MEMO_NAMESPACE, requestKey } from './openai/call.ts';
import { chunkRequests } from './openai/provider.ts';
import type { ClassifyOptions } from './options.ts';

// OpenAI's published flat cost of one low-detail image; high detail is tiled and costs more.
const LOW_DETAIL_IMAGE_TOKENS = 85;
const HIGH_DETAIL_IMAGE_TOKENS = 765;

let encoding: Tiktoken | undefined;
const tokens = (text: string) => (encoding ??= getEncoding('o200k_base')).encode(text).length;

/**
 * What classifying one session would spend, for `tracepipe plan`: the requests it
 * would send (built exactly as the provider builds them), minus those already in
 * the memo, with their input tokens and input cost. Output tokens are unknown
 * before the call and are not estimated.
 */
export function estimateClassify(ctx: EstimateContext<ClassifyOptions>): Record<string, number> {
  const model = parseModel(ctx.node);
  if (model.provider !== 'openai') return {};
  const timeline = pickTimeline(ctx.inputs, ctx.options.from, ctx.item.id);
  const suite = loadSuite(ctx.pipeline, ctx.files);
  const requests = chunkRequests(timeline, suite, { config: model, options: ctx.options, prompt: readPrompt(ctx.node, ctx.files), artifacts: ctx.artifacts });
  let calls = 0;
  let memoized = 0;
  let inputTokens = 0;
  for (const r of requests) {
    if (ctx.memo.get(MEMO_NAMESPACE, requestKey(model.baseURL, r.body(r.messages))) !== undefined) {
      memoized++;
      continue;
    }
    calls++;
    for (const m of r.messages) {
      if (typeof m.content === 'string') inputTokens += tokens(m.content);
      else for (const part of m.content) inputTokens += part.type === 'text' ? tokens(part.text) : part.image_url.detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : HIGH_DETAIL_IMAGE_TOKENS;
    }
  }
  const out: Record<string, number> = { 'llm.calls': calls, 'llm.inputTokens': inputTokens };
  if (memoized > 0) out['llm.memoized'] = memoized;
  if (model.price !== undefined) out['llm.inputCostUsd'] = (inputTokens * model.price.inputPerMTok) / 1e6;
  return out;
}
