import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSelectTarget } from '../../domain/formats/chrome-recorder.ts';
import { loadAndNormalize } from '../normalize/run-stages.ts';
import { realDir, tempDir } from './session-files.ts';

const options = { screenshots: { enabled: false } };

describe('Chrome DevTools Recorder flows reduced', () => {
  it('the real benchmark flow: pointer steps carry their button (the secondary click is right)', async () => {
    const { timeline } = await loadAndNormalize(path.join(realDir, 'chrome-recorder/benchmark.json'), options);
    const pointer = timeline.steps.filter((s) => s.button !== undefined);
    // the flow's click step and its doubleClick step are two actions (the recorder wrote both)
    expect(pointer.map((s) => [s.kind, s.button, s.target?.selector])).toEqual([
      ['click', 'left', '#button'],
      ['double_click', 'left', '#button'],
      ['right_click', 'right', '#input'],
    ]);
  });

  /** Built the way the recorder writes steps (puppeteer/replay Schema.ts: ClickStep button/deviceType, ChangeStep value). */
  it('back/forward buttons, touch clicks, and a change on a select is a select step', async () => {
    const file = path.join(tempDir(), 'flow.json');
    writeFileSync(
      file,
      JSON.stringify({
        title: 'Shipping form',
        steps: [
          { type: 'navigate', url: 'http://shop.test/checkout' },
          { type: 'click', selectors: [['#history']], offsetX: 3, offsetY: 4, button: 'back' },
          { type: 'click', selectors: [['aria/Pay'], ['#pay']], offsetX: 10, offsetY: 8, deviceType: 'touch' },
          { type: 'change', value: 'FR', selectors: [['aria/Country[role="combobox"]'], ['select#country']] },
          { type: 'change', value: 'Lyon', selectors: [['aria/City'], ['#city']] },
        ],
      }),
    );
    const { timeline } = await loadAndNormalize(file, options);
    expect(timeline.steps.map((s) => [s.kind, s.button ?? null, s.pointer ?? null, s.text ?? null])).toEqual([
      ['navigate', null, null, 'http://shop.test/checkout'],
      ['click', 'back', null, null],
      ['click', 'left', 'touch', null],
      ['select', null, null, 'FR'],
      ['type', null, null, 'Lyon'],
    ]);
  });

  it('tells a select from the selectors the recorder writes', () => {
    expect(isSelectTarget([['select#country']])).toBe(true);
    expect(isSelectTarget([['form.address > select:nth-of-type(2)']])).toBe(true);
    expect(isSelectTarget([['aria/Size[role="listbox"]']])).toBe(true);
    expect(isSelectTarget([['xpath///*[@id="f"]/select[2]']])).toBe(true);
    expect(isSelectTarget([['#select'], ['xpath///*[@id="select"]']])).toBe(false); // an id says nothing about the tag
    expect(isSelectTarget([['input.selection'], ['aria/Search']])).toBe(false);
  });
});
