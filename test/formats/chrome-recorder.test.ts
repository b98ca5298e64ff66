import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formats } from '../../domain/formats/index.ts';
import { readWritten, realDir, rejection, tempDir } from './session-files.ts';

describe('Chrome DevTools Recorder importer', () => {
  it('yields the benchmark flow step by step', async () => {
    const out = tempDir();
    const ids = await formats.chromeRecorder.convert(path.join(realDir, 'chrome-recorder/benchmark.json'), out, {});
    expect(ids).toEqual(['benchmark']);
    const s = readWritten(out, 'benchmark');
    const summary = s.events.map((e) => {
      switch (e.type) {
        case 'navigate':
          return ['navigate', e.url];
        case 'click':
          return ['click', e.target?.selector, e.count, e.button];
        case 'keydown':
        case 'keyup':
          return [e.type, e.key];
        case 'input':
          return ['input', e.target?.selector, e.value];
        default:
          return [e.type];
      }
    });
    expect(summary).toEqual([
      ['navigate', 'http://localhost:8907/benchmark.html'],
      ['click', '#button', 1, 'left'],
      ['click', '#button', 2, 'left'],
      ['keydown', 'Tab'],
      ['keyup', 'Tab'],
      ['input', '#input', 'test'],
      ['input', '#input-prefilled', 'testSuffix'],
      ['keydown', 'Enter'],
      ['keyup', 'Enter'],
      ['click', '#input', 1, 'right'],
      ['input', '#select', 'optionB'],
    ]);
    expect(s.events[1]).toMatchObject({ x: 36, y: 18, target: { name: 'Click', text: 'Click', id: 'button' }, id: 'benchmark.json#2' });
    expect(s.meta).toMatchObject({ description: 'benchmark', viewport: { width: 900, height: 700 } });
    const ts = s.events.map((e) => e.t);
    expect(new Set(ts).size).toBe(ts.length);
  });

  it('names the step and field of a bad step', async () => {
    const file = path.join(tempDir(), 'flow.json');
    writeFileSync(
      file,
      JSON.stringify({
        title: 'x',
        steps: [
          { type: 'navigate', url: 'http://x/' },
          { type: 'change', selectors: [['#a']] },
        ],
      }),
    );
    const err = await rejection(formats.chromeRecorder.convert(file, tempDir(), {}));
    expect(err.code).toBe('TP_INPUT');
    expect(err.location).toEqual({ file, field: 'steps[1].value' });
  });
});
