import { defineStage, type StageIssue } from '../../engine/stage.ts';
import { TracepipeError } from '../../engine/errors.ts';
import type { Classification } from '../../domain/session/classification.ts';
import { listPartials, loadSuite, parseModel, partialsDir, promptPath, readPrompt } from './stage-inputs.ts';
import { modelConfigProblems } from './openai/request.ts';
import { describeProblem, strictSchemaProblems } from './openai/response-schema.ts';
import { locateSuiteField } from './suite-location.ts';
import type { Suite } from '../../domain/suite/index.ts';
import type { Consumes } from '../../domain/roles.ts';

const STRICT_HINT =
  'The openai provider sends the suite as a strict structured-output schema; rewrite that parameter with named properties and plain types (stages/classify/README.md lists what converts), or use the rules provider.';
import { ClassifyOptions } from './options.ts';
import { ClassifyModelConfig } from './model-config.ts';
import { estimateClassify } from './estimate.ts';
import { promptTemplateIssues } from './prompt-check.ts';
import { classifyWithRules } from './rules/index.ts';
import { LLM_ESTIMATE } from '../../domain/session/llm-metrics.ts';

/**
 * Timeline → Suite actions (DESIGN §4). The provider comes from the node's model
 * configuration: `openai` (any OpenAI-compatible endpoint) or `rules` (the Suite's
 * evidence rules; offline and deterministic).
 */
export const classifyStage = defineStage<ClassifyOptions, Consumes<'timeline'>, Classification>({
  name: 'classify',
  version: '4',
  kind: 'map',
  description: 'Turns a normalized timeline into Suite action spans with an LLM or evidence rules.',
  options: ClassifyOptions,
  consumes: ['timeline'],
  produces: 'classification',
  modelOptions: ClassifyModelConfig,

  keyFiles(node, pipeline) {
    const files: { label: string; path: string }[] = [];
    if (pipeline.suite) files.push({ label: 'suite', path: pipeline.suite });
    if (node.model?.config.provider === 'rules') return files;
    files.push({ label: 'prompt', path: promptPath(node) });
    for (const p of listPartials(partialsDir(node))) files.push({ label: 'partial', path: p });
    return files;
  },

  estimate: estimateClassify,
  exactFigures: [LLM_ESTIMATE.calls, LLM_ESTIMATE.memoized],

  check(node, pipeline, files, env) {
    const issues: StageIssue[] = [];
    const guard = (path: (string | number)[] | undefined, fn: () => void) => {
      try {
        fn();
      } catch (err) {
        const e = err as Error;
        issues.push({ message: e.message, ...(path ? { path } : {}), ...(err instanceof TracepipeError && err.hint ? { hint: err.hint } : {}) });
      }
    };
    let suite: Suite | undefined;
    guard(undefined, () => void (suite = loadSuite(pipeline, files)));
    guard(['model'], () => {
      const model = parseModel(node);
      if (model.provider !== 'openai') return;
      for (const p of modelConfigProblems(model, node.model!.name)) issues.push({ path: ['model'], message: p.message, hint: p.hint });
      if (suite)
        for (const p of strictSchemaProblems(suite)) issues.push({ message: `${locateSuiteField(suite, files, p)} ${describeProblem(p)}`, hint: STRICT_HINT });
      if (!env[model.apiKeyEnv]) {
        issues.push({
          path: ['model'],
          message: `the API key environment variable ${model.apiKeyEnv} is not set (model "${node.model!.name}")`,
          hint: `export ${model.apiKeyEnv}=... or set apiKeyEnv in the model configuration`,
        });
      }
      guard(['prompt'], () => {
        const texts = readPrompt(node, files);
        if (!texts.partials.timeline) throw new Error(`the prompt ${promptPath(node)} needs partials/timeline.hbs beside it`);
        issues.push(...promptTemplateIssues(texts, partialsDir(node), pipeline.dir));
      });
    });
    return issues;
  },

  async run(ctx) {
    const timeline = ctx.upstream.timeline.output;
    const suite = loadSuite(ctx.pipeline, ctx.files);
    const model = parseModel(ctx.node);
    if (model.provider === 'rules') {
      return {
        sessionId: timeline.sessionId,
        provider: 'rules',
        modelId: 'rules',
        spans: classifyWithRules(timeline, suite),
        usage: { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMs: 0 },
      };
    }
    // The provider (and the SDK behind it) is imported only by a run that calls a model.
    const { classifyWithOpenAI } = await import('./openai/provider.ts');
    const { spans, usage } = await classifyWithOpenAI(timeline, suite, {
      config: model,
      options: ctx.options,
      prompt: readPrompt(ctx.node, ctx.files),
      artifacts: ctx.artifacts,
      memo: ctx.memo,
      metrics: ctx.metrics,
      signal: ctx.signal,
      emit: ctx.emit,
      env: ctx.env,
    });
    return { sessionId: timeline.sessionId, provider: 'openai', modelId: model.model, spans, usage };
  },
});
