import path from 'node:path';
import { sha256 } from '../../engine/hash.ts';
import type { ResolvedPipeline, StageNode } from '../../engine/config/types.ts';
import { defineStage, type FileSet, type MapContext, type StageIssue } from '../../engine/stage.ts';
import type { Consumes } from '../../domain/roles.ts';
import { applyReviewDecisions, latestDecisions, type Thresholds } from '../../domain/review/index.ts';
import { checkToolMap, toolsFor } from '../../domain/toolmap/index.ts';
import { buildConversation } from './conversation.ts';
import type { Example, ExampleSpan, ExampleStatus } from '../../domain/example/example.ts';
import { exampleIdFor } from '../../domain/example/ids.ts';
import { SynthesizeOptions } from './options.ts';
import { promptPaths, promptProblems, renderPrompt } from './prompts.ts';
import { redactSecrets } from '../../engine/values.ts';
import { readSuite } from './suite-file.ts';
import { nodeToolMap } from './tool-map.ts';

export const DEFAULT_REVIEW_THRESHOLD = 0.7;

/**
 * Turns a session's classification and timeline into a training conversation
 * through the node's action-tool map, after applying review decisions.
 */
export const synthesizeStage = defineStage<SynthesizeOptions, Consumes<'classification' | 'timeline'>, Example>({
  name: 'synthesize',
  version: '3',
  kind: 'map',
  description: 'Classification + timeline -> chat example with tool calls (through an ActionToolMap)',
  options: SynthesizeOptions,
  consumes: ['classification', 'timeline'],
  produces: 'example',
  keyFiles(node, pipeline) {
    const p = promptPaths(node, pipeline, optionsOf(node));
    return [
      { label: 'system prompt', path: p.system },
      { label: 'user prompt', path: p.user },
      ...(pipeline.suite ? [{ label: 'suite', path: pipeline.suite }] : []),
    ];
  },
  keyInputs: (node) => ({ thresholds: thresholdsOf(node) }),
  check(node, pipeline, files) {
    const issues: StageIssue[] = [];
    const opts = optionsOf(node);
    try {
      const map = nodeToolMap(node);
      const suite = readSuite(files, pipeline.suite);
      if (suite) {
        for (const i of checkToolMap(map, suite)) {
          issues.push({ path: ['actionToolMap'], message: `${node.actionToolMap?.file ?? 'action-tool map'} (field ${i.field}): ${i.message}` });
        }
      }
    } catch (e) {
      issues.push({ path: ['actionToolMap'], message: (e as Error).message });
    }
    issues.push(...promptIssues(node, pipeline, files, opts));
    return issues;
  },
  run: (ctx) => synthesize(ctx),
});

/** Template problems in the system and user prompts, at the node field that names each (unreadable files are reported as missing key files). */
function promptIssues(node: StageNode, pipeline: ResolvedPipeline, files: FileSet, opts: SynthesizeOptions): StageIssue[] {
  const p = promptPaths(node, pipeline, opts);
  const prompts = [
    { file: p.system, path: node.prompt === undefined ? ['with', 'systemPrompt'] : ['prompt'] },
    { file: p.user, path: ['with', 'userPrompt'] },
  ];
  return prompts.flatMap(({ file, path: at }) => {
    if (!files.paths().includes(file)) return [];
    return promptProblems(files.read(file)).map((problem) => ({
      path: at,
      message: `prompt template ${relativeTo(pipeline, file)}:${problem.line}:${problem.column}: ${problem.message}`,
      hint: 'Fix the template: it would fail every item when the stage runs.',
    }));
  });
}

/** The node's options; defaults when `with` is invalid (the config validator reports that itself). */
function optionsOf(node: StageNode): SynthesizeOptions {
  const parsed = SynthesizeOptions.safeParse(node.with);
  return parsed.success ? parsed.data : SynthesizeOptions.parse({});
}

function thresholdsOf(node: StageNode): Thresholds {
  const review = node.thresholds?.['review'] ?? DEFAULT_REVIEW_THRESHOLD;
  const drop = node.thresholds?.['drop'];
  return drop === undefined ? { review } : { review, drop };
}

function synthesize(ctx: MapContext<SynthesizeOptions, Consumes<'classification' | 'timeline'>>): Example {
  const o = ctx.options;
  const classified = ctx.upstream.classification;
  const classification = classified.output;
  const timeline = ctx.upstream.timeline.output;
  const map = nodeToolMap(ctx.node);
  const suite = readSuite(ctx.files, ctx.pipeline.suite);
  const tools = toolsFor(map, suite);
  const thresholds = thresholdsOf(ctx.node);

  const { decisions, invalid } = latestDecisions(classified.annotations);
  for (const bad of invalid) ctx.emit('review.invalid', { createdAt: bad.annotation.createdAt, message: bad.message });
  const applied = applyReviewDecisions(classification.spans, decisions, thresholds);
  const spans = [...applied.kept].sort((a, b) => a.startStep - b.startStep || a.index - b.index);

  const prompts = promptPaths(ctx.node, ctx.pipeline, o);
  const data = {
    session: { id: timeline.sessionId, app: timeline.app, description: timeline.description },
    suite: { id: suite?.id ?? timeline.suite, description: suite?.description },
    server: map.server,
    mapId: map.id,
    tools: tools.map((t) => ({ name: t.function.name, description: t.function.description })),
    actions: spans.map((s) => ({ action: s.action, parameters: s.parameters, startStep: s.startStep, endStep: s.endStep })),
  };
  const system = renderPrompt(ctx.files, prompts.system, data);
  const description = timeline.description?.trim();
  const user = description ? undefined : renderPrompt(ctx.files, prompts.user, data);
  const promptHashes: Record<string, string> = { [relativeTo(ctx.pipeline, prompts.system)]: sha256(system.source) };
  if (user) promptHashes[relativeTo(ctx.pipeline, prompts.user)] = sha256(user.source);

  const { messages, toolCalls } = buildConversation({
    sessionId: classification.sessionId,
    system: system.text,
    user: description || user?.text || 'Help me with my email.',
    spans,
    steps: timeline.steps,
    map,
    shape: o.toolCallShape,
    toolResults: o.toolResults,
    maxToolResultChars: o.maxToolResultChars,
    ...(o.finalMessage === undefined ? {} : { finalMessage: o.finalMessage }),
  });

  const { status, reason } = statusOf(spans, applied.dropped.length, thresholds);
  const classifyNode = ctx.pipeline.stages.find((s) => s.id === classified.stage);
  const example: Example = {
    id: exampleIdFor(classification.sessionId),
    sessionId: classification.sessionId,
    modelId: classification.modelId,
    modelConfiguration: classifyNode?.model ? { name: classifyNode.model.name, config: redactSecrets(classifyNode.model.config) } : null,
    actionToolMapId: map.id,
    status,
    ...(reason === undefined ? {} : { statusReason: reason }),
    confidences: spans.map((s) => s.confidence),
    spans,
    droppedSpans: applied.dropped,
    toolCallShape: o.toolCallShape,
    messages,
    tools,
    provenance: {
      stageKeys: { ...ctx.upstreamKeys, [ctx.node.id]: ctx.key },
      reviewSubject: { stage: classified.stage, key: classified.key },
      promptHashes,
      toolCalls,
    },
    ...(timeline.labels ? { labels: timeline.labels.map((l) => ({ action: l.action, parameters: l.parameters })) } : {}),
    usage: classification.usage,
  };
  ctx.metrics.add('examples', 1);
  ctx.metrics.add(`examples.${status}`, 1);
  if (status === 'NEEDS_REVIEW') ctx.emit('review.flagged', { sessionId: example.sessionId, spans: spans.filter((s) => s.flagged).map((s) => s.index) });
  return example;
}

/**
 * COMPLETED: every kept span is confident or decided. NEEDS_REVIEW: some kept span
 * is below the review threshold and undecided. FAILED: no span is left (nothing was
 * classified, or every span was rejected or dropped): there is nothing to train on.
 */
function statusOf(spans: readonly ExampleSpan[], droppedCount: number, t: Thresholds): { status: ExampleStatus; reason?: string } {
  if (spans.length === 0) {
    return { status: 'FAILED', reason: droppedCount > 0 ? `all ${droppedCount} spans were rejected or dropped` : 'no actions were classified' };
  }
  const flagged = spans.filter((s) => s.flagged);
  if (flagged.length > 0) {
    const list = flagged.map((s) => `#${s.index} ${s.action} ${s.confidence.toFixed(2)}`).join(', ');
    return { status: 'NEEDS_REVIEW', reason: `${flagged.length} span(s) below the review threshold ${t.review}: ${list}` };
  }
  return { status: 'COMPLETED' };
}

function relativeTo(pipeline: ResolvedPipeline, file: string): string {
  return path.relative(pipeline.dir, file).split(path.sep).join('/');
}
