import type { Store } from '../../engine/cache/types.ts';
import { runOutputs } from '../../engine/run/index.ts';
import { compareRuns, formatCompare, type RunExamples } from '../../domain/compare/index.ts';
import type { Example } from '../../stages/synthesize/index.ts';
import { EXIT, type Io } from '../io.ts';
import { findRun, openRun } from '../run-ref.ts';

/** Every example a run synthesized (or found cached). Throws TP_INPUT for an unknown run. */
export function synthesizedExamples(store: Store, runId: string): Example[] {
  return runOutputs(store, runId, 'synthesize').map((o) => o.output as Example);
}

export function loadRunExamples(store: Store, runId: string): RunExamples {
  const run = store.getRun(runId)!;
  const m = run.summary.metrics;
  return {
    runId,
    variant: run.variant,
    examples: synthesizedExamples(store, runId),
    usage: {
      tokens: (m['llm.promptTokens'] ?? 0) + (m['llm.completionTokens'] ?? 0),
      costUsd: m['llm.costUsd'] ?? 0,
      latencyMs: m['llm.latencyMs'] ?? 0,
      calls: m['llm.calls'] ?? 0,
    },
  };
}

/** `tracepipe compare RUN_A RUN_B`: scores against labels, disagreements, review flags, tokens, cost, latency. */
export function compareCommand(io: Io, a: string, b: string, args: { json?: boolean; cache?: string }): number {
  const { store, run } = openRun(io, args.cache, a);
  try {
    const other = findRun(store, store.file, b);
    printComparison(io, store, run.id, other.id, Boolean(args.json));
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export function printComparison(io: Io, store: Store, a: string, b: string, json: boolean): void {
  const report = compareRuns(loadRunExamples(store, a), loadRunExamples(store, b));
  io.out(json ? JSON.stringify(report, null, 2) : formatCompare(report));
}
