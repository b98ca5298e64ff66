import type { GcReport } from '../../cache/types.ts';
import { EXIT, type Io } from '../io.ts';
import { openCache, openExistingCache } from '../open-cache.ts';

export function gcCommand(io: Io, args: { dryRun?: boolean; keepRuns?: number; includeMemo?: boolean; json?: boolean; cache?: string }): number {
  const dryRun = args.dryRun ?? false;
  // A dry run only looks: with no cache yet there is nothing to drop, and none is created.
  const store = dryRun ? openExistingCache(io, args.cache).store : openCache(io, args.cache);
  try {
    const report: GcReport = store?.gc({ keepRuns: args.keepRuns ?? 3, dryRun, includeMemo: args.includeMemo ?? false }) ?? NOTHING;
    if (args.json) io.out(JSON.stringify({ dryRun, ...report }, null, 2));
    else {
      const verb = dryRun ? 'would drop' : 'dropped';
      io.out(
        `${verb} ${report.runsDropped} runs, ${report.resultsDropped} stage results, ${report.artifactsDropped} artifacts, ${report.memoDropped} memoized requests; ${dryRun ? 'would free' : 'freed'} ${(report.bytesFreed / 1024 / 1024).toFixed(2)} MB`,
      );
    }
    return EXIT.ok;
  } finally {
    store?.close();
  }
}

const NOTHING: GcReport = { runsDropped: 0, resultsDropped: 0, artifactsDropped: 0, memoDropped: 0, bytesFreed: 0 };
