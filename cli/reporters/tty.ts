import cliProgress from 'cli-progress';
import { unreachable } from '../../engine/errors.ts';
import type { Io } from '../io.ts';
import type { Reporter } from './index.ts';
import { formatFailure, formatRunEnd } from './summary.ts';

/** A progress bar per stage on a terminal; failures are printed above the bars as they happen. */
export function ttyReporter(io: Io): Reporter {
  const multi = new cliProgress.MultiBar(
    {
      format: ' {stage} |{bar}| {value}/{total}  cached {cached}  failed {failed}',
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; cached: number; failed: number; value: number }>();
  const tick = (stage: string, field: 'cached' | 'failed' | null) => {
    const b = bars.get(stage);
    if (b === undefined) return;
    b.value++;
    if (field !== null) b[field]++;
    b.bar.update(b.value, { cached: b.cached, failed: b.failed });
  };
  let stopped = false;
  const stop = () => {
    if (!stopped) multi.stop();
    stopped = true;
  };
  return {
    listener: (e) => {
      switch (e.type) {
        case 'run:start': {
          const width = Math.max(...e.stages.map((s) => s.length));
          for (const s of e.stages)
            bars.set(s, { bar: multi.create(e.totals[s] ?? 0, 0, { stage: s.padEnd(width), cached: 0, failed: 0 }), cached: 0, failed: 0, value: 0 });
          return;
        }
        case 'item:done':
          return tick(e.stage, e.cacheHit ? 'cached' : null);
        case 'item:failed':
          multi.log(`${formatFailure(e.stage, e.item, e.error)}\n`);
          return tick(e.stage, 'failed');
        case 'item:skipped':
          return tick(e.stage, null);
        case 'item:start':
        case 'stage:event':
          return;
        case 'run:end':
          stop();
          io.out(formatRunEnd(e.runId, e.status, e.durationMs, e.summary));
          return;
        default:
          return unreachable(e);
      }
    },
    close: stop,
  };
}
