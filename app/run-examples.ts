import type { RunRecord, Store } from '../engine/cache/types.ts';
import { runOutputs } from '../engine/run/index.ts';
import type { RunExamples } from '../domain/compare/index.ts';
import type { Example } from '../domain/example/index.ts';
import { usageFromMetrics } from '../domain/session/llm-metrics.ts';

/** Every example a run synthesized (or found cached). */
export function synthesizedExamples(store: Store, run: RunRecord): Example[] {
  return runOutputs(store, run, 'synthesize').map((o) => o.output as Example);
}

export function loadRunExamples(store: Store, run: RunRecord): RunExamples {
  const usage = usageFromMetrics(run.summary.metrics);
  return {
    runId: run.id,
    variant: run.variant,
    examples: synthesizedExamples(store, run),
    usage: {
      tokens: usage.promptTokens + usage.completionTokens,
      costUsd: usage.costUsd,
      latencyMs: usage.latencyMs,
      calls: usage.calls,
    },
  };
}
