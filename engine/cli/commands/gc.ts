import { SqliteStore } from '../../cache/sqlite.ts';
import { EXIT, cacheFile, type Io } from '../io.ts';

export function gcCommand(io: Io, args: { dryRun?: boolean; keepRuns?: number; includeMemo?: boolean; json?: boolean; cache?: string }): number {
  const store = new SqliteStore(cacheFile(io, args.cache));
  try {
    const report = store.gc({ keepRuns: args.keepRuns ?? 3, dryRun: args.dryRun ?? false, includeMemo: args.includeMemo ?? false });
    if (args.json) io.out(JSON.stringify({ dryRun: args.dryRun ?? false, ...report }, null, 2));
    else {
      const verb = args.dryRun ? 'would drop' : 'dropped';
      io.out(
        `${verb} ${report.runsDropped} runs, ${report.resultsDropped} stage results, ${report.artifactsDropped} artifacts, ${report.memoDropped} memoized requests; ${args.dryRun ? 'would free' : 'freed'} ${(report.bytesFreed / 1024 / 1024).toFixed(2)} MB`,
      );
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
