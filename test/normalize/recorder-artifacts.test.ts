import { describe, expect, it } from 'vitest';
import { brief, timelineOf } from './run-stages.ts';

/**
 * The reducer's rules for recorder artifacts (issue 8 §2), on native sessions built the way the
 * browser recorder (fixtures/recorder/capture.js) and other DOM-listener recorders write them:
 * mousedown/mouseup/click with the element under the pointer, keydown/keyup, input/select.
 */
const field = { selector: '#q', tag: 'input', inputType: 'text', field: 'q' };
const down = (t: number, x: number, y: number, extra: object = {}) => ({ type: 'mousedown', t, x, y, button: 'left', ...extra });
const up = (t: number, x: number, y: number, extra: object = {}) => ({ type: 'mouseup', t, x, y, button: 'left', ...extra });
const click = (t: number, x: number, y: number, extra: object = {}) => ({ type: 'click', t, x, y, button: 'left', count: 1, ...extra });
const kd = (t: number, key: string, target: object = field) => ({ type: 'keydown', t, key, target });
const ku = (t: number, key: string) => ({ type: 'keyup', t, key });
const shape = (t: Awaited<ReturnType<typeof timelineOf>>) => t.steps.map((s) => [s.kind, s.button, s.pointer, s.x]);

describe('near-duplicate recorder events', () => {
  it('a key pressed again 1-3 ms later is one press; auto-repeat of a held key (35 ms) types every repeat', async () => {
    const doubled = await timelineOf([kd(0, 'c'), kd(1, 'c'), ku(60, 'c'), kd(120, 'o'), kd(123, 'o'), ku(180, 'o'), kd(240, 'u'), ku(300, 'u')]);
    expect(brief(doubled)).toEqual([{ kind: 'type', text: 'cou' }]);
    const held = await timelineOf([kd(0, 'o'), kd(500, 'o'), kd(535, 'o'), kd(570, 'o'), ku(600, 'o')]);
    expect(brief(held)).toEqual([{ kind: 'type', text: 'oooo' }]);
  });

  it('a whole click copied 1 ms later is one click; a real double click (second press 120 ms later) stays', async () => {
    const copied = await timelineOf([down(100, 50, 50), up(100, 50, 50), down(101, 50, 50), up(101, 50, 50)]);
    expect(shape(copied)).toEqual([['click', 'left', undefined, 50]]);
    const dbl = await timelineOf([down(100, 50, 50), up(160, 50, 50), down(280, 50, 50), up(340, 50, 50)]);
    expect(shape(dbl)).toEqual([['double_click', 'left', undefined, 50]]);
  });

  it('a recorder click event repeated at the same point within a few ms is one click; elsewhere it is another', async () => {
    const same = await timelineOf([click(100, 20, 20), click(102, 20, 20)]);
    expect(shape(same)).toEqual([['click', 'left', undefined, 20]]);
    const elsewhere = await timelineOf([click(100, 20, 20), click(102, 300, 20)]);
    expect(shape(elsewhere)).toEqual([
      ['click', 'left', undefined, 20],
      ['click', 'left', undefined, 300],
    ]);
  });
});

describe('hotkeys', () => {
  it('a modifier chord is one hotkey step, modifiers first in a fixed order, letter lower-case', async () => {
    const t = await timelineOf([
      kd(0, 'Alt'),
      kd(20, 'Control'),
      kd(40, 'T'),
      ku(80, 'T'),
      ku(90, 'Control'),
      ku(95, 'Alt'),
      kd(2000, 'Meta'),
      kd(2020, 'Shift'),
      kd(2040, 'z'),
      ku(2060, 'z'),
    ]);
    expect(brief(t)).toEqual([
      { kind: 'hotkey', keys: ['Control', 'Alt', 't'] },
      { kind: 'hotkey', keys: ['Shift', 'Meta', 'z'] },
    ]);
    expect(t.steps[0]!.sourceEvents).toHaveLength(3);
  });

  it('lone modifier presses are no step; stopHotkeys still drops a chord given in any spelling', async () => {
    const events = [
      kd(0, 'Control'),
      ku(100, 'Control'),
      kd(500, 'Shift'),
      ku(600, 'Shift'),
      kd(1000, 'Control'),
      kd(1010, 'Shift'),
      kd(1020, 's'),
      ku(1030, 's'),
      ku(1040, 'Shift'),
      ku(1050, 'Control'),
    ];
    expect(brief(await timelineOf(events))).toEqual([{ kind: 'hotkey', keys: ['Control', 'Shift', 's'] }]);
    expect(brief(await timelineOf(events, { stopHotkeys: ['shift+ctrl+S'] }))).toEqual([]);
  });
});

describe('pointer buttons and taps', () => {
  it('every pointer step carries its button; middle, back and forward clicks are clicks with that button', async () => {
    const t = await timelineOf([
      down(0, 1, 1),
      up(50, 1, 1),
      down(1000, 2, 2, { button: 'middle' }),
      up(1050, 2, 2, { button: 'middle' }),
      down(2000, 3, 3, { button: 'back' }),
      up(2050, 3, 3, { button: 'back' }),
      click(3000, 4, 4, { button: 'forward' }),
      down(4000, 5, 5, { button: 'right' }),
      up(4050, 5, 5, { button: 'right' }),
      down(5000, 6, 6),
      { type: 'mousemove', t: 5050, x: 200, y: 6 },
      up(5100, 200, 6),
    ]);
    expect(shape(t)).toEqual([
      ['click', 'left', undefined, 1],
      ['click', 'middle', undefined, 2],
      ['click', 'back', undefined, 3],
      ['click', 'forward', undefined, 4],
      ['right_click', 'right', undefined, 5],
      ['drag', 'left', undefined, 6],
    ]);
  });

  it('two quick middle presses are two middle clicks, not a double click', async () => {
    const t = await timelineOf([
      down(0, 9, 9, { button: 'middle' }),
      up(40, 9, 9, { button: 'middle' }),
      down(150, 9, 9, { button: 'middle' }),
      up(190, 9, 9, { button: 'middle' }),
    ]);
    expect(shape(t)).toEqual([
      ['click', 'middle', undefined, 9],
      ['click', 'middle', undefined, 9],
    ]);
  });

  it('a tap and the compatibility mousedown/mouseup/click the browser sends after it are one touch step', async () => {
    const touch = { pointer: 'touch' };
    const t = await timelineOf([down(100, 40, 60, touch), up(160, 40, 60, touch), down(165, 40, 60), up(166, 40, 60), click(167, 40, 60)]);
    expect(shape(t)).toEqual([['click', 'left', 'touch', 40]]);
    expect(t.steps[0]!.sourceEvents).toHaveLength(5);
    // A delayed compatibility click alone (the 300 ms tap delay) folds in too.
    const delayed = await timelineOf([down(100, 40, 60, touch), up(160, 40, 60, touch), click(460, 40, 60)]);
    expect(shape(delayed)).toEqual([['click', 'left', 'touch', 40]]);
  });

  it('a real mouse click after a tap (elsewhere, or later) is its own step', async () => {
    const touch = { pointer: 'touch' };
    const t = await timelineOf([
      down(100, 40, 60, touch),
      up(160, 40, 60, touch),
      down(300, 400, 60),
      up(350, 400, 60),
      down(2000, 40, 60, touch),
      up(2050, 40, 60, touch),
      click(3000, 40, 60),
    ]);
    expect(shape(t)).toEqual([
      ['click', 'left', 'touch', 40],
      ['click', 'left', undefined, 400],
      ['click', 'left', 'touch', 40],
      ['click', 'left', undefined, 40],
    ]);
  });

  it('a press and release on different elements that did not move is a click on the pressed element (select2-style overlay)', async () => {
    const combo = { selector: '#country + .select2 .select2-selection', tag: 'span', role: 'combobox' };
    const overlay = { selector: '.select2-dropdown .select2-results__option:nth-of-type(3)', tag: 'li', role: 'option' };
    const body = { selector: 'body', tag: 'body' };
    const t = await timelineOf([down(100, 300, 200, { target: combo }), up(180, 301, 200, { target: overlay }), click(181, 301, 200, { target: body })]);
    expect(t.steps.map((s) => [s.kind, s.button, s.target?.selector])).toEqual([['click', 'left', combo.selector]]);
    expect(t.steps[0]!.sourceEvents).toHaveLength(3);
  });
});

describe('checks, selects and scripted values', () => {
  const box = { selector: '#agree', tag: 'input', inputType: 'checkbox', field: 'agree' };
  const label = { selector: 'label[for=agree]', tag: 'label', text: 'I agree' };
  const radioA = { selector: '#size-s', tag: 'input', inputType: 'radio', field: 'size' };
  const radioB = { selector: '#size-m', tag: 'input', inputType: 'radio', field: 'size' };

  it('a click on a checkbox (or its label) and the change it causes are one check step', async () => {
    const t = await timelineOf([
      down(100, 10, 10, { target: label }),
      up(150, 10, 10, { target: label }),
      click(151, 10, 10, { target: label }),
      { type: 'check', t: 152, checked: true, target: box },
      down(1000, 10, 10, { target: box }),
      up(1050, 10, 10, { target: box }),
      click(1051, 10, 10, { target: box }),
      { type: 'check', t: 1052, checked: false, target: box },
    ]);
    expect(t.steps.map((s) => [s.kind, s.checked, s.button, s.x, s.target?.selector])).toEqual([
      ['check', true, 'left', 10, '#agree'],
      ['check', false, 'left', 10, '#agree'],
    ]);
  });

  it('a radio change keeps its value; the other radio losing its check is no step', async () => {
    const t = await timelineOf([
      click(100, 10, 10, { target: radioA }),
      { type: 'check', t: 101, checked: true, value: 's', target: radioA },
      click(900, 10, 40, { target: radioB }),
      { type: 'check', t: 901, checked: true, value: 'm', target: radioB },
      { type: 'check', t: 901, checked: false, value: 's', target: radioA },
    ]);
    expect(t.steps.map((s) => [s.kind, s.checked, s.text, s.target?.selector])).toEqual([
      ['check', true, 's', '#size-s'],
      ['check', true, 'm', '#size-m'],
    ]);
  });

  it('a check change with no click before it (keyboard Space, a test driver) is a check step of its own', async () => {
    const t = await timelineOf([{ type: 'check', t: 100, checked: true, target: box }]);
    expect(t.steps.map((s) => [s.kind, s.checked, s.button])).toEqual([['check', true, undefined]]);
  });

  it('a page script filling a field the person never focused is not typing; on the field being typed in it is', async () => {
    const other = { selector: '#city', tag: 'input', inputType: 'text', field: 'city' };
    const t = await timelineOf([
      click(0, 5, 5, { target: field }),
      kd(100, 'p'),
      ku(120, 'p'),
      { type: 'input', t: 121, value: 'p', target: field },
      kd(200, 'a'),
      ku(220, 'a'),
      { type: 'input', t: 221, value: 'pa', target: field },
      { type: 'input', t: 300, value: 'Paris (autofilled)', target: other, scripted: true },
      { type: 'input', t: 310, value: 'Pa', target: field, scripted: true },
    ]);
    expect(t.steps.map((s) => [s.kind, s.text ?? null, s.target?.selector])).toEqual([
      ['click', null, '#q'],
      ['type', 'Pa', '#q'],
    ]);
  });

  it('a select a widget changed through the page script right after the person clicked is a select step; one at page load is not', async () => {
    const select = { selector: '#country', tag: 'select', inputType: 'select-one', field: 'country' };
    const option = { selector: '.select2-results__option:nth-of-type(3)', tag: 'li', role: 'option' };
    const t = await timelineOf([
      { type: 'select', t: 50, value: 'us', target: select, scripted: true },
      click(2000, 300, 260, { target: option }),
      { type: 'select', t: 2010, value: 'fr', target: select, scripted: true },
    ]);
    expect(t.steps.map((s) => [s.kind, s.text ?? null, s.target?.selector])).toEqual([
      ['click', null, option.selector],
      ['select', 'fr', '#country'],
    ]);
  });
});

describe('near-duplicate clicks need the same element', () => {
  it('two clicks without a position on two elements a few ms apart (a test driver) are two clicks', async () => {
    const t = await timelineOf([
      { type: 'click', t: 100, button: 'left', count: 1, target: { selector: '#a' } },
      { type: 'click', t: 104, button: 'left', count: 1, target: { selector: '#b' } },
      { type: 'click', t: 106, button: 'left', count: 1, target: { selector: '#b' } },
    ]);
    expect(t.steps.map((s) => [s.kind, s.target?.selector])).toEqual([
      ['click', '#a'],
      ['click', '#b'],
    ]);
  });
});

describe('keyboard checks', () => {
  it('Space on a focused checkbox is its check step, not typed text', async () => {
    const box = { selector: '#agree', tag: 'input', inputType: 'checkbox', field: 'agree' };
    const t = await timelineOf([kd(0, 'Tab', field), kd(500, ' ', box), ku(560, ' '), { type: 'check', t: 561, checked: true, target: box }]);
    expect(t.steps.map((s) => [s.kind, s.keys ?? null, s.checked ?? null, s.target?.selector])).toEqual([
      ['hotkey', ['Tab'], null, '#q'],
      ['check', null, true, '#agree'],
    ]);
  });

  it('Space on a button (no change event) is a Space key step', async () => {
    const t = await timelineOf([kd(0, ' ', { selector: '#send', tag: 'button' })]);
    expect(brief(t)).toEqual([{ kind: 'hotkey', keys: ['Space'] }]);
  });
});

describe('AltGr', () => {
  it('AltGr reported as Control + AltGr (Windows) types its character', async () => {
    const t = await timelineOf([
      kd(0, 'Control'),
      kd(1, 'AltGraph'),
      kd(20, '@'),
      ku(40, '@'),
      ku(50, 'AltGraph'),
      ku(51, 'Control'),
      kd(100, 'x'),
      ku(120, 'x'),
    ]);
    expect(brief(t)).toEqual([{ kind: 'type', text: '@x' }]);
  });
});
