import type { RunRecord } from '../../engine/cache/types.ts';
import { isRunStale } from '../../engine/run/liveness.ts';
import { stageRows } from '../../engine/run/stage-rows.ts';
import { EXIT, type Io } from '../io.ts';
import { openExistingCache } from '../open-cache.ts';
import { openRun } from '../run-ref.ts';
import { formatFailure, table } from '../reporters/summary.ts';
import { formatDuration } from '../../web/pages/assets/format.js';
import { noRunMessage } from '../../app/run-lookup.ts';

export function runsCommand(io: Io, args: { json?: boolean; limit?: number; cache?: string }): number {
  const { store, file } = openExistingCache(io, args.cache);
  try {
    const runs = store?.listRuns(args.limit ?? 20) ?? [];
    if (args.json) {
      io.out(
        JSON.stringify(
          runs.map(({ snapshot: _s, ...r }) => ({ ...r, stale: isRunStale(r) })),
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    if (runs.length === 0) {
      io.out(noRunMessage(undefined, file));
      return EXIT.ok;
    }
    io.out(
      table(
        ['run', 'pipeline', 'variant', 'status', 'sessions', 'failed', 'cached', 'started', 'took'],
        runs.map((r) => [
          r.id,
          r.pipelineName,
          r.variant ?? '-',
          shownStatus(r),
          String(r.summary.items),
          String(r.summary.failed),
          String(r.summary.cacheHits),
          r.startedAt.replace('T', ' ').slice(0, 19),
          took(r),
        ]),
      ),
    );
    return EXIT.ok;
  } finally {
    store?.close();
  }
}

/** `tracepipe status [RUN|latest]`: per-stage counts, failures and timings (default: the latest run). */
export function statusCommand(io: Io, runId: string | undefined, args: { json?: boolean; cache?: string }): number {
  const { store, run } = openRun(io, args.cache, runId);
  try {
    const failures = store.runItems(run.id, { status: 'failed' });
    const stages = stageRows(run.summary.stages, store.itemStats(run.id));
    if (args.json) {
      const { snapshot: _s, ...rest } = run;
      io.out(JSON.stringify({ ...rest, stale: isRunStale(run), stages, failures }, null, 2));
      return EXIT.ok;
    }
    io.out(
      `run ${run.id}  ${run.pipelineName}${run.variant ? ` (variant ${run.variant})` : ''}  ${shownStatus(run)}  started ${run.startedAt}  took ${took(run)}`,
    );
    if (run.resumedFrom) io.out(`resumed from ${run.resumedFrom}`);
    if (isRunStale(run)) io.out(`its process (pid ${run.pid}) is gone: the run will not finish by itself; continue it with tracepipe resume ${run.id}`);
    io.out(
      table(
        ['stage', 'ran', 'cached', 'failed', 'skipped', 'busy'],
        stages.map((s) => [s.stage, String(s.ran), String(s.cached), String(s.failed), String(s.skipped), formatDuration(s.busyMs)]),
      ),
    );
    const m = run.summary.metrics;
    if (Object.keys(m).length > 0)
      io.out(
        `metrics: ${Object.entries(m)
          .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
          .join(', ')}`,
      );
    if (failures.length > 0) {
      io.out(`\n${failures.length} failed:`);
      for (const f of failures) if (f.error) io.out(formatFailure(f.stageId, f.item, f.error));
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}

function took(r: RunRecord): string {
  if (r.endedAt === null) return r.status === 'running' ? 'running' : '-';
  return formatDuration(Date.parse(r.endedAt) - Date.parse(r.startedAt));
}

/** `running` for a run whose process died reads `running (stale)`. */
function shownStatus(r: RunRecord): string {
  return isRunStale(r) ? 'running (stale)' : r.status;
}
