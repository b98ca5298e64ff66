import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface SweepReport {
  /** Folders removed (or that a dry run would remove), relative to the cache folder. */
  folders: string[];
  bytes: number;
}

/**
 * Removes the folders under `<cacheDir>/<root>/` that no stored result read through
 * `ctx.source.cache` (and leftovers of interrupted writes), so derived files such as
 * imports do not outlive the results that need them. `liveReads` are `cache:` read paths.
 */
export function sweepUnread(cacheDir: string, roots: readonly string[], liveReads: readonly string[], dryRun: boolean): SweepReport {
  const live = new Set(liveReads.map((r) => r.split('/').slice(0, 2).join('/')));
  const report: SweepReport = { folders: [], bytes: 0 };
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
