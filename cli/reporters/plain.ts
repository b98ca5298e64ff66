import type { StageCounts } from '../../engine/run/events.ts';
import { unreachable } from '../../engine/errors.ts';
import type { Io } from '../io.ts';
import type { Reporter } from './index.ts';
import { formatDuration } from '../../web/pages/assets/format.js';
import { formatFailure, formatRunEnd } from './summary.ts';

const PROGRESS_EVERY_MS = 5000;

/** Plain lines for logs and CI: a line per finished stage and per failure, a progress line every few seconds. */
export function plainReporter(io: Io): Reporter {
  const counts = new Map<string, StageCounts & { started: number }>();
  let lastProgress = Date.now();
  const finished = (c: StageCounts) => c.done + c.cached + c.failed + c.skipped;
  const bump = (stage: string, field: keyof StageCounts) => {
    const c = counts.get(stage);
    if (c === undefined) return;
    if (c.started === 0) c.started = Date.now();
    c[field]++;
    if (finished(c) === c.total) {
      // ✓ only for a stage whose every item ran or came from the cache; - when some were skipped (an upstream item failed).
      io.out(
        `${c.failed > 0 ? '✗' : c.skipped > 0 ? '-' : '✓'} ${stage.padEnd(14)} ${c.total} item${c.total === 1 ? '' : 's'}: ${c.done} ran, ${c.cached} cached, ${c.failed} failed, ${c.skipped} skipped (${formatDuration(Date.now() - c.started)})`,
      );
    }
  };
  return {
    listener: (e) => {
      switch (e.type) {
        case 'run:start':
          for (const [stage, total] of Object.entries(e.totals)) counts.set(stage, { total, done: 0, cached: 0, failed: 0, skipped: 0, started: 0 });
          io.out(
            `run ${e.runId}: ${e.items} session${e.items === 1 ? '' : 's'}, stages ${e.stages.join(' → ')}${e.variant ? ` (variant ${e.variant})` : ''}${e.resumedFrom ? `, resuming ${e.resumedFrom}` : ''}`,
          );
          return;
        case 'item:start':
          return;
        case 'item:done':
          bump(e.stage, e.cacheHit ? 'cached' : 'done');
          break;
        case 'item:failed':
          io.err(formatFailure(e.stage, e.item, e.error));
          bump(e.stage, 'failed');
          break;
        case 'item:skipped':
          bump(e.stage, 'skipped');
          break;
        case 'stage:event':
          if (e.name === 'warning') io.err(`  ! ${e.stage} ${e.item ?? ''}: ${String(e.data.message ?? '')}`);
          return;
        case 'run:end':
          io.out(formatRunEnd(e.runId, e.status, e.durationMs, e.summary));
          return;
        default:
          return unreachable(e);
      }
      if (Date.now() - lastProgress > PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        const open = [...counts.entries()].filter(([, c]) => finished(c) < c.total);
        if (open.length > 0) io.out(`… ${open.map(([s, c]) => `${s} ${finished(c)}/${c.total}`).join(', ')}`);
      }
    },
    close: () => {},
  };
}
