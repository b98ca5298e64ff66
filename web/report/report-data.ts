import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { UNRECORDED_FAILURE, type ErrorInfo } from '../../engine/errors.ts';
import { runOutputs, stageRows } from '../../engine/run/index.ts';
import type { StageView } from '../api/run-view.ts';
import type { Example } from '../../domain/example/index.ts';
import type { Keyframe, Step, Timeline } from '../../domain/session/timeline.ts';
import { usageFromMetrics } from '../../domain/session/llm-metrics.ts';

/** A stage's row in the report: the API's stage view, where `total` is the items recorded for the stage. */
export type StageRow = Omit<StageView, 'uses'>;

export interface ReportFailure {
  stage: string;
  item: string;
  error: ErrorInfo;
}

/** Classification usage summed over the examples, cached ones included (the run's own metrics count only calls it made). */
export interface ReportUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
}

export interface ReportExample {
  example: Example;
  /** The session's normalized steps (for keyframes and the steps a tool call covers); empty when normalize left nothing. */
  steps: Step[];
}

/** Everything `tracepipe report` shows about one run, read from the store. */
export interface ReportData {
  run: Omit<RunRecord, 'snapshot'>;
  stages: StageRow[];
  examples: ReportExample[];
  failures: ReportFailure[];
  /** What this run paid (its metrics), and what the examples' classifications cost in total. */
  usage: { run: ReportUsage; examples: ReportUsage };
}

const emptyUsage = (): ReportUsage => ({ calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMs: 0 });

/** Reads a run's summary, examples (with their sessions' steps) and failures. */
export function loadReportData(store: Store, run: RunRecord): ReportData {
  const runId = run.id;
  const examples = runOutputs(store, run, 'synthesize').map((o) => ({ item: o.item, example: o.output as Example }));
  const timelines = new Map<string, Timeline>();
  for (const o of runOutputs(store, run, 'normalize')) {
    const t = o.output as Timeline;
    timelines.set(o.item, t);
    if (typeof t.sessionId === 'string') timelines.set(t.sessionId, t);
  }
  const failures = store.runItems(runId, { status: 'failed' }).map((i) => ({ stage: i.stageId, item: i.item, error: i.error ?? UNRECORDED_FAILURE }));
  const m = run.summary.metrics;
  const runUsage: ReportUsage = usageFromMetrics(m);
  const exampleUsage = emptyUsage();
  for (const { example } of examples) {
    const u = example.usage;
    if (u === undefined) continue;
    exampleUsage.calls += u.calls;
    exampleUsage.promptTokens += u.promptTokens;
    exampleUsage.completionTokens += u.completionTokens;
    exampleUsage.costUsd += u.costUsd;
    exampleUsage.latencyMs += u.latencyMs;
  }
  const { snapshot: _snapshot, ...runInfo } = run;
  return {
    run: runInfo,
    stages: stageRows(run.summary.stages, store.itemStats(run.id)).map(({ recorded, stage, ...counts }) => ({ stage, total: recorded, ...counts })),
    examples: examples
      .map(({ item, example }) => ({ example, steps: (timelines.get(item) ?? timelines.get(example.sessionId))?.steps ?? [] }))
      .sort((a, b) => a.example.sessionId.localeCompare(b.example.sessionId)),
    failures,
    usage: { run: runUsage, examples: exampleUsage },
  };
}

/** A session's keyframes in step order; consecutive steps that show the same image are one frame with a step range. */
export function keyframesOf(steps: readonly Step[]): { firstStep: number; lastStep: number; keyframe: Keyframe }[] {
  const frames: { firstStep: number; lastStep: number; keyframe: Keyframe }[] = [];
  for (const s of steps) {
    if (s.keyframe === undefined) continue;
    const last = frames[frames.length - 1];
    if (last !== undefined && last.keyframe.artifact === s.keyframe.artifact) last.lastStep = s.id;
    else frames.push({ firstStep: s.id, lastStep: s.id, keyframe: s.keyframe });
  }
  return frames;
}
