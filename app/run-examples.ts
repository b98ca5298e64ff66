import type { Store } from '../engine/cache/types.ts';
import { runOutputs } from '../engine/run/index.ts';
import type { RunExamples } from '../domain/compare/index.ts';
import type { Example } from '../domain/example/index.ts';
import { usageFromMetrics } from '../domain/session/llm-metrics.ts';

/** Every example a run synthesized (or found cached). Throws TP_INPUT for an unknown run. */
export function synthesizedExamples(store: Store, runId: string): Example[] {
  return runOutputs(store, runId, 'synthesize').map((o) => o.output as Example);
}

export function loadRunExamples(store: Store, runId: string): RunExamples {
  const run = store.getRun(runId)!;
  const usage = usageFromMetrics(run.summary.metrics);
  return {
    runId,
    variant: run.variant,
    examples: synthesizedExamples(store, runId),
    usage: {
      tokens: usage.promptTokens + usage.completionTokens,
      costUsd: usage.costUsd,
      latencyMs: usage.latencyMs,
      calls: usage.calls,
    },
  };
}
