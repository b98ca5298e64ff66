import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './types.ts';

export interface GcOptions {
  /** Finished runs kept per pipeline file and variant, newest first. */
  keepRuns: number;
  /** Report what would go, change nothing. */
  dryRun: boolean;
  /** Also drop memoized model replies of dropped runs (a resumed run would pay for them again). */
  includeMemo: boolean;
  /** The folders under the cache folder that hold files derived from sessions (load's `imports`). */
  derivedDirs: readonly string[];
  /** The cache folder the derived folders are in; a store without one (memory) has none to sweep. */
  cacheDir?: string;
}

export interface GcReport {
  runsDropped: number;
  resultsDropped: number;
  artifactsDropped: number;
  memoDropped: number;
  /** Bytes of the artifacts dropped. */
  bytesFreed: number;
  /** Derived folders removed (or that a dry run would remove), relative to the cache folder, sorted. */
  derivedFoldersDropped: string[];
  derivedBytesFreed: number;
}

/**
 * The one garbage collection, for every store: keep the newest `keepRuns` finished runs of
 * each pipeline and variant (running runs are never touched), then what they still refer to:
 * the results their items name, the artifacts those results name, the memo of kept runs,
 * and the derived folders (imports) some kept result read. Review decisions are never
 * dropped: they are durable data. A dry run does it all in a transaction that is rolled back.
 */
export function collectGarbage(store: Store, opts: GcOptions): GcReport {
  const { report, cacheReadsKept } = sweepStore(store, opts);
  const derived = opts.cacheDir === undefined ? { folders: [], bytes: 0 } : sweepUnread(opts.cacheDir, opts.derivedDirs, cacheReadsKept, opts.dryRun);
  return { ...report, derivedFoldersDropped: derived.folders, derivedBytesFreed: derived.bytes };
}

/** The report of a collection with no cache at all: nothing to drop. */
export const NOTHING_COLLECTED: GcReport = {
  runsDropped: 0,
  resultsDropped: 0,
  artifactsDropped: 0,
  memoDropped: 0,
  bytesFreed: 0,
  derivedFoldersDropped: [],
  derivedBytesFreed: 0,
};

/** Of runs listed newest first, the ids beyond the newest `keep` of each pipeline file and variant. */
export function runsBeyondKept(runs: readonly { id: string; pipelinePath: string; variant: string | null }[], keep: number): string[] {
  const seen = new Map<string, number>();
  const drop: string[] = [];
  for (const r of runs) {
    const group = `${r.pipelinePath}\u0000${r.variant ?? ''}`;
    const n = (seen.get(group) ?? 0) + 1;
    seen.set(group, n);
    if (n > keep) drop.push(r.id);
  }
  return drop;
}

type StoreReport = Omit<GcReport, 'derivedFoldersDropped' | 'derivedBytesFreed'>;

function sweepStore(store: Store, opts: GcOptions): { report: StoreReport; cacheReadsKept: string[] } {
  const work = () => {
    const runs = runsBeyondKept(store.finishedRuns(), opts.keepRuns);
    store.dropRuns(runs);
    const resultsDropped = store.dropUnreferencedResults();
    const artifacts = store.dropUnreferencedArtifacts();
    const memoDropped = opts.includeMemo ? store.dropMemoOfDroppedRuns() : 0;
    const outcome = {
      report: { runsDropped: runs.length, resultsDropped, artifactsDropped: artifacts.count, memoDropped, bytesFreed: artifacts.bytes },
      cacheReadsKept: store.cacheReads(),
    };
    if (opts.dryRun) throw new DryRun(outcome);
    return outcome;
  };
  try {
    const outcome = store.transaction(work);
    store.compact();
    return outcome;
  } catch (err) {
    if (err instanceof DryRun) return err.outcome;
    throw err;
  }
}

/** Thrown inside the transaction to roll a dry run back while keeping what it found. */
class DryRun extends Error {
  constructor(readonly outcome: { report: StoreReport; cacheReadsKept: string[] }) {
    super('dry run');
  }
}

/**
 * Removes the folders under `<cacheDir>/<root>/` that no kept result read through
 * `ctx.source.cache` (and leftovers of interrupted writes), so derived files such as
 * imports do not outlive the results that need them. `liveReads` are `cache:` read paths.
 */
function sweepUnread(cacheDir: string, roots: readonly string[], liveReads: readonly string[], dryRun: boolean): { folders: string[]; bytes: number } {
  const live = new Set(liveReads.map((r) => r.split('/').slice(0, 2).join('/')));
  const report = { folders: [] as string[], bytes: 0 };
  for (const root of [...new Set(roots)].sort()) {
    let names: string[];
    try {
      names = readdirSync(join(cacheDir, root)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const rel = `${root}/${name}`;
      if (live.has(rel)) continue;
      const abs = join(cacheDir, rel);
      report.bytes += sizeOf(abs);
      report.folders.push(rel);
      if (!dryRun) rmSync(abs, { recursive: true, force: true });
    }
  }
  return report;
}

function sizeOf(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined) return 0;
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0);
}
