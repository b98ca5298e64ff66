import { dirname } from 'node:path';
import type { GcReport } from '../../engine/cache/types.ts';
import { sweepUnread } from '../../engine/run/derived.ts';
import { EXIT, type Io } from '../io.ts';
import { openCache, openExistingCache } from '../open-cache.ts';
import { formatBytes } from '../../web/pages/assets/format.js';

export function gcCommand(io: Io, args: { dryRun?: boolean; keepRuns?: number; includeMemo?: boolean; json?: boolean; cache?: string }): number {
  const dryRun = args.dryRun ?? false;
  // A dry run only looks: with no cache yet there is nothing to drop, and none is created.
  const store = dryRun ? openExistingCache(io, args.cache).store : openCache(io, args.cache);
  try {
    const report: GcReport = store?.gc({ keepRuns: args.keepRuns ?? 3, dryRun, includeMemo: args.includeMemo ?? false }) ?? NOTHING;
    // Derived folders (imports) that no kept result read go too.
    const roots = Object.values(io.registry).flatMap((d) => d.derivedDirs ?? []);
    const derived = store === undefined ? { folders: [], bytes: 0 } : sweepUnread(dirname(store.file), roots, report.cacheReadsKept, dryRun);
    const { cacheReadsKept: _kept, ...counts } = report;
    if (args.json) io.out(JSON.stringify({ dryRun, ...counts, derivedFoldersDropped: derived.folders, derivedBytesFreed: derived.bytes }, null, 2));
    else {
      const verb = dryRun ? 'would drop' : 'dropped';
      io.out(
        `${verb} ${report.runsDropped} runs, ${report.resultsDropped} stage results, ${report.artifactsDropped} artifacts, ${report.memoDropped} memoized requests, ${derived.folders.length} derived folders (${roots.join(', ') || 'none'}); ${dryRun ? 'would free' : 'freed'} ${formatBytes(report.bytesFreed + derived.bytes)}`,
      );
    }
    return EXIT.ok;
  } finally {
    store?.close();
  }
}

const NOTHING: GcReport = { runsDropped: 0, resultsDropped: 0, artifactsDropped: 0, memoDropped: 0, bytesFreed: 0, cacheReadsKept: [] };
