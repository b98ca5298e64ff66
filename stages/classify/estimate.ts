import type { EstimateContext } from '../../engine/stage.ts';
import { loadSuite, parseModel, pickTimeline, readPrompt } from './load.ts';
import { estimatePromptTokens } from './openai/prompt-tokens.ts';
import { chunkRequests, MEMO_NAMESPACE, requestKey } from './openai/requests.ts';
import type { ClassifyOptions } from './options.ts';

/**
 * What classifying one session would spend, for `tracepipe plan`: the requests it
 * would send (built exactly as the provider builds them), minus those already in
 * the memo. `llm.calls` and `llm.memoized` are counts; every token and cost figure
 * is an estimate (stages/classify/README.md, "What plan estimates"): message text and
 * schema counted with o200k_base, images by the model family's rule, cost from the
 * configured price with no cache discount. Output tokens are unknown before the call.
 */
export function estimateClassify(ctx: EstimateContext<ClassifyOptions>): Record<string, number> {
  const model = parseModel(ctx.node);
  if (model.provider !== 'openai') return {};
  const timeline = pickTimeline(ctx.inputs, ctx.options.from, ctx.item.id);
  const suite = loadSuite(ctx.pipeline, ctx.files);
  const requests = chunkRequests(timeline, suite, { config: model, options: ctx.options, prompt: readPrompt(ctx.node, ctx.files), artifacts: ctx.artifacts });
  let calls = 0;
  let memoized = 0;
  const tokens = { text: 0, schema: 0, images: 0, total: 0 };
  for (const r of requests) {
    if (ctx.memo.get(MEMO_NAMESPACE, requestKey(model.baseURL, r.body(r.messages))) !== undefined) {
      memoized++;
      continue;
    }
    calls++;
    const e = estimatePromptTokens(r.messages, r.images, r.schema, model);
    tokens.text += e.text;
    tokens.schema += e.schema;
    tokens.images += e.images;
    tokens.total += e.total;
  }
  // the first three keys keep their long-standing order; the breakdown follows
  const out: Record<string, number> = { 'llm.calls': calls, 'llm.inputTokens': tokens.total };
  if (model.price !== undefined) out['llm.inputCostUsd'] = (tokens.total * model.price.inputPerMTok) / 1e6;
  if (memoized > 0) out['llm.memoized'] = memoized;
  out['llm.inputTokens.text'] = tokens.text;
  out['llm.inputTokens.schema'] = tokens.schema;
  if (tokens.images > 0) out['llm.inputTokens.images'] = tokens.images;
  return out;
}
