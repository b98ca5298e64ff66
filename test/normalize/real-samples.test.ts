import { fileURLToPath } from 'node:url';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTimelineTable } from '../../stages/normalize/index.ts';
import { tempDir } from '../load/fixture.ts';
import { loadAndNormalize } from './run-stages.ts';

const CLONES = fileURLToPath(new URL('../../fixtures/formats/real/clones-desktop/20250817_232256', import.meta.url));

describe('real recordings', () => {
  it('clones desktop sample: every press/release pair is one click, wheel bursts are scrolls', async () => {
    const { timeline, ctx } = await loadAndNormalize(CLONES);
    const kinds = timeline.steps.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'click')).toHaveLength(30); // the log holds 30 mousedown/mouseup pairs
    expect(kinds.filter((k) => k === 'scroll')).toHaveLength(3);
    expect(kinds).toHaveLength(33);
    expect(ctx.metricTotals.steps).toBe(33);
    expect(formatTimelineTable(timeline)).toContain('33 steps');
  });

  it('the same sample with every line written twice gives exactly the same steps', async () => {
    const dir = join(tempDir(), 'doubled');
    mkdirSync(dir);
    copyFileSync(join(CLONES, 'meta.json'), join(dir, 'meta.json'));
    const lines = readFileSync(join(CLONES, 'input_log.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    writeFileSync(join(dir, 'input_log.jsonl'), lines.flatMap((l) => [l, l]).join('\n') + '\n');
    const original = await loadAndNormalize(CLONES);
    const doubled = await loadAndNormalize(dir);
    const shape = (t: typeof original.timeline) => t.steps.map((s) => [s.kind, s.t0, s.t1, s.x, s.y, s.dy]);
    expect(shape(doubled.timeline)).toEqual(shape(original.timeline));
    expect(doubled.ctx.metricTotals.duplicateEvents).toBeGreaterThan(3000);
  });
});
