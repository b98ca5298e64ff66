import { dirname } from 'node:path';
import { collectGarbage, NOTHING_COLLECTED } from '../../engine/cache/gc.ts';
import { EXIT, type Io } from '../io.ts';
import { openCache, openExistingCache } from '../open-cache.ts';
import { formatBytes } from '../../web/pages/assets/format.js';

export function gcCommand(io: Io, args: { dryRun?: boolean; keepRuns?: number; includeMemo?: boolean; json?: boolean; cache?: string }): number {
  const dryRun = args.dryRun ?? false;
  // A dry run only looks: with no cache yet there is nothing to drop, and none is created.
  const store = dryRun ? openExistingCache(io, args.cache).store : openCache(io, args.cache);
  try {
    const roots = Object.values(io.registry).flatMap((d) => d.derivedDirs ?? []);
    const report =
      store === undefined
        ? NOTHING_COLLECTED
        : collectGarbage(store, {
            keepRuns: args.keepRuns ?? 3,
            dryRun,
            includeMemo: args.includeMemo ?? false,
            derivedDirs: roots,
            cacheDir: dirname(store.file),
          });
    if (args.json) io.out(JSON.stringify({ dryRun, ...report }, null, 2));
    else {
      const verb = dryRun ? 'would drop' : 'dropped';
      io.out(
        `${verb} ${report.runsDropped} runs, ${report.resultsDropped} stage results, ${report.artifactsDropped} artifacts, ${report.memoDropped} memoized requests, ${report.derivedFoldersDropped.length} derived folders (${roots.join(', ') || 'none'}); ${dryRun ? 'would free' : 'freed'} ${formatBytes(report.bytesFreed + report.derivedBytesFreed)}`,
      );
    }
    return EXIT.ok;
  } finally {
    store?.close();
  }
}
