import { describe, expect, it } from 'vitest';
import { stageRows } from '../../engine/run/stage-rows.ts';

describe('stageRows', () => {
  it('folds grouped item stats into one row per stage, in pipeline order, unknown stages last', () => {
    const rows = stageRows(
      ['load', 'classify'],
      [
        { stageId: 'classify', status: 'succeeded', cacheHit: true, n: 3, durationMs: 0 },
        { stageId: 'old', status: 'succeeded', cacheHit: false, n: 1, durationMs: 5 },
        { stageId: 'load', status: 'succeeded', cacheHit: false, n: 2, durationMs: 10.4 },
        { stageId: 'load', status: 'failed', cacheHit: false, n: 1, durationMs: 4.3 },
        { stageId: 'classify', status: 'skipped', cacheHit: false, n: 1, durationMs: 0 },
      ],
    );
    expect(rows).toEqual([
      { stage: 'load', recorded: 3, ran: 2, cached: 0, failed: 1, skipped: 0, busyMs: 15 },
      { stage: 'classify', recorded: 4, ran: 0, cached: 3, failed: 0, skipped: 1, busyMs: 0 },
      { stage: 'old', recorded: 1, ran: 1, cached: 0, failed: 0, skipped: 0, busyMs: 5 },
    ]);
  });
});
