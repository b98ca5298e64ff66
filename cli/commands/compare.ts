import type { RunRecord, Store } from '../../engine/cache/types.ts';
import { compareRuns } from '../../domain/compare/index.ts';
import { formatCompare } from './compare-text.ts';
import { loadRunExamples } from '../../app/run-examples.ts';
import { EXIT, type Io } from '../io.ts';
import { findRun, openRun } from '../run-ref.ts';

/** `tracepipe compare RUN_A RUN_B`: scores against labels, disagreements, review flags, tokens, cost, latency. */
export function compareCommand(io: Io, a: string, b: string, args: { json?: boolean; cache?: string }): number {
  const { store, run } = openRun(io, args.cache, a);
  try {
    const other = findRun(store, store.file, b);
    printComparison(io, store, run, other, Boolean(args.json));
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export function printComparison(io: Io, store: Store, a: RunRecord, b: RunRecord, json: boolean): void {
  const report = compareRuns(loadRunExamples(store, a), loadRunExamples(store, b));
  io.out(json ? JSON.stringify(report, null, 2) : formatCompare(report));
}
