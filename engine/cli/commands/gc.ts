import { dirname } from 'node:path';
import { SqliteStore } from '../../cache/sqlite.ts';
import { sweepUnread } from '../../run/derived.ts';
import { EXIT, cacheFile, type Io } from '../io.ts';

export function gcCommand(io: Io, args: { dryRun?: boolean; keepRuns?: number; includeMemo?: boolean; json?: boolean; cache?: string }): number {
  const store = new SqliteStore(cacheFile(io, args.cache));
  try {
    const dryRun = args.dryRun ?? false;
    const report = store.gc({ keepRuns: args.keepRuns ?? 3, dryRun, includeMemo: args.includeMemo ?? false });
    const roots = Object.values(io.registry).flatMap((d) => d.derivedDirs ?? []);
    const derived = sweepUnread(dirname(store.file), roots, report.cacheReadsKept, dryRun);
    const { cacheReadsKept: _kept, ...counts } = report;
    if (args.json) io.out(JSON.stringify({ dryRun, ...counts, derivedFoldersDropped: derived.folders, derivedBytesFreed: derived.bytes }, null, 2));
    else {
      const verb = dryRun ? 'would drop' : 'dropped';
      io.out(
        `${verb} ${report.runsDropped} runs, ${report.resultsDropped} stage results, ${report.artifactsDropped} artifacts, ${report.memoDropped} memoized requests, ${derived.folders.length} derived folders (${roots.join(', ') || 'none'}); ${dryRun ? 'would free' : 'freed'} ${((report.bytesFreed + derived.bytes) / 1024 / 1024).toFixed(2)} MB`,
      );
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
