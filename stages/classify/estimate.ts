import type { EstimateContext } from '../../engine/stage.ts';
import { loadSuite, parseModel, readPrompt } from './stage-inputs.ts';
import { estimatePromptTokens } from './openai/prompt-tokens.ts';
import { chunkRequests, MEMO_NAMESPACE, requestKey } from './openai/requests.ts';
import type { ClassifyOptions } from './options.ts';
import { LLM_ESTIMATE, type LlmEstimate } from '../../domain/session/llm-metrics.ts';
import type { Consumes } from '../../domain/roles.ts';

/**
 * What classifying one session would spend, for `tracepipe plan`: the requests it
 * would send (built exactly as the provider builds them), minus those already in
 * the memo. `llm.calls` and `llm.memoized` are counts; every token and cost figure
 * is an estimate (stages/classify/README.md, "What plan estimates"): message text and
 * schema counted with o200k_base, images by the model family's rule, cost from the
 * configured price with no cache discount. Output tokens are unknown before the call.
 */
export function estimateClassify(ctx: EstimateContext<ClassifyOptions, Consumes<'timeline'>>): Record<string, number> {
  const model = parseModel(ctx.node);
  if (model.provider !== 'openai') return {};
  const timeline = ctx.upstream.timeline.output;
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
  const out: Partial<Record<LlmEstimate, number>> = { [LLM_ESTIMATE.calls]: calls, [LLM_ESTIMATE.inputTokens]: tokens.total };
  if (model.price !== undefined) out[LLM_ESTIMATE.inputCostUsd] = (tokens.total * model.price.inputPerMTok) / 1e6;
  if (memoized > 0) out[LLM_ESTIMATE.memoized] = memoized;
  out[LLM_ESTIMATE.inputTextTokens] = tokens.text;
  out[LLM_ESTIMATE.inputSchemaTokens] = tokens.schema;
  if (tokens.images > 0) out[LLM_ESTIMATE.inputImageTokens] = tokens.images;
  return out;
}
