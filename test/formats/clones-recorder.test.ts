import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAndNormalize } from '../normalize/run-stages.ts';
import { realDir, tempDir } from './session-files.ts';

const sample = path.join(realDir, 'clones-desktop/20250817_232256');
const options = { screenshots: { enabled: false } };
const line = (event: string, data: unknown, time: number) => JSON.stringify({ event, data, time });

function recording(lines: string[], platform = 'macos'): string {
  const dir = path.join(tempDir(), 'rec');
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, 'meta.json'),
    JSON.stringify({ platform, primary_monitor: { width: 2880, height: 1800 }, quest: { title: 'Say hello', app: 'Notes' } }),
  );
  writeFileSync(path.join(dir, 'input_log.jsonl'), lines.join('\n') + '\n');
  return dir;
}

/** Each line twice, the copy `lag(i)` ms later, as the macOS recorder sometimes writes them. */
const doubled = (lines: string[], lag: (i: number) => number) =>
  lines.flatMap((l, i) => {
    const ev = JSON.parse(l) as { time: number };
    return [l, JSON.stringify({ ...ev, time: ev.time + lag(i) })];
  });

describe('Clones recorder conventions', () => {
  it('"coucou" typed with every line written twice, the copies 0-1 ms later, is "coucou" (built the way the rdev recorder writes keys)', async () => {
    const keys = [...'coucou'].flatMap((c, i) => [
      line('keydown', { key: `Key${c.toUpperCase()}` }, 1000 + i * 120),
      line('keyup', { key: `Key${c.toUpperCase()}` }, 1060 + i * 120),
    ]);
    const once = await loadAndNormalize(recording(keys), options);
    expect(once.timeline.steps.map((s) => [s.kind, s.text])).toEqual([['type', 'coucou']]);
    const twice = await loadAndNormalize(recording(doubled(keys, (i) => (i % 3 === 0 ? 0 : 1))), options);
    expect(twice.timeline.steps.map((s) => [s.kind, s.text])).toEqual([['type', 'coucou']]);
    // 4 copies at the same ms are exact duplicates, 4 keydown copies 1 ms later are near-duplicates;
    // a copied keyup releases nothing and is not counted.
    expect(twice.ctx.metricTotals.duplicateEvents).toBe(8);
  });

  it('the real sample with every line written again 1 ms later gives the same steps (clicks, scroll amounts)', async () => {
    const lines = readFileSync(path.join(sample, 'input_log.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const dir = path.join(tempDir(), 'doubled-1ms');
    mkdirSync(dir);
    copyFileSync(path.join(sample, 'meta.json'), path.join(dir, 'meta.json'));
    writeFileSync(path.join(dir, 'input_log.jsonl'), doubled(lines, () => 1).join('\n') + '\n');
    const original = await loadAndNormalize(sample, options);
    const copy = await loadAndNormalize(dir, options);
    const shape = (t: typeof original.timeline) => t.steps.map((s) => [s.kind, s.t0, s.button, s.x, s.y, s.dy]);
    expect(shape(original.timeline).filter(([k]) => k === 'click')).toHaveLength(30);
    expect(shape(copy.timeline)).toEqual(shape(original.timeline));
  });

  it('side buttons: rdev Unknown(n) by platform, multiinput Button4/5; an unnamed button gives no step', async () => {
    const click = (button: string, t: number, x: number) => [
      line('mousemove', { x, y: 10 }, t - 5),
      line('mousedown', { button }, t),
      line('mouseup', { button }, t + 60),
    ];
    const mac = await loadAndNormalize(
      recording([
        ...click('Left', 100, 1),
        ...click('Middle', 1000, 2),
        ...click('Unknown(3)', 2000, 3),
        ...click('Unknown(4)', 3000, 4),
        ...click('Unknown(7)', 4000, 5),
        ...click('Right', 5000, 6),
      ]),
      options,
    );
    expect(mac.timeline.steps.map((s) => [s.kind, s.button, s.x])).toEqual([
      ['click', 'left', 1],
      ['click', 'middle', 2],
      ['click', 'back', 3],
      ['click', 'forward', 4],
      ['right_click', 'right', 6],
    ]);
    const linux = await loadAndNormalize(recording([...click('Unknown(8)', 100, 1), ...click('Unknown(9)', 1000, 2)], 'linux'), options);
    expect(linux.timeline.steps.map((s) => s.button)).toEqual(['back', 'forward']);
    const windows = await loadAndNormalize(recording([...click('Button4', 100, 1), ...click('Button5', 1000, 2)], 'windows'), options);
    expect(windows.timeline.steps.map((s) => s.button)).toEqual(['back', 'forward']);
  });
});
