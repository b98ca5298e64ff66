import { describe, expect, it } from 'vitest';
import { brief, timelineOf } from './run-stages.ts';

const field = { selector: '#subject', tag: 'input', field: 'subject' };
const kd = (t: number, key: string, target: object | null = field) => ({ type: 'keydown', t, key, ...(target ? { target } : {}) });
const ku = (t: number, key: string) => ({ type: 'keyup', t, key });
/** keydown+keyup per character, 50 ms apart, starting at t. */
const typed = (t: number, text: string, target?: object) => [...text].flatMap((ch, i) => [kd(t + i * 50, ch, target), ku(t + i * 50 + 20, ch)]);

describe('typing', () => {
  it('a run of printable keys is one type step with the exact text (case, spaces, unicode)', async () => {
    const t = await timelineOf(typed(0, 'Héllo Wörld 👋 ok'));
    expect(brief(t)).toEqual([{ kind: 'type', text: 'Héllo Wörld 👋 ok' }]);
    expect(t.steps[0]!.target).toEqual(field);
  });

  it('Shift with a letter types the letter; Shift alone is dropped', async () => {
    const t = await timelineOf([kd(0, 'Shift'), kd(10, 'H'), ku(20, 'H'), ku(30, 'Shift'), ...typed(60, 'i'), kd(2000, 'Shift'), ku(2050, 'Shift')]);
    expect(brief(t)).toEqual([{ kind: 'type', text: 'Hi' }]);
  });

  it('Backspace deletes the last typed character; the text is what was finally typed', async () => {
    const t = await timelineOf([
      ...typed(0, 'helo'),
      kd(300, 'Backspace'),
      ...typed(400, 'lo wrld'),
      kd(800, 'Backspace'),
      kd(850, 'Backspace'),
      kd(900, 'Backspace'),
      kd(950, 'Backspace'),
      ...typed(1000, 'world'),
    ]);
    expect(brief(t)).toEqual([{ kind: 'type', text: 'hello world' }]);
  });

  it('Backspace over an emoji removes the whole character', async () => {
    const t = await timelineOf([...typed(0, 'a😀'), kd(200, 'Backspace')]);
    expect(brief(t)).toEqual([{ kind: 'type', text: 'a' }]);
  });

  it('a pause longer than the typing pause ends the run', async () => {
    const t = await timelineOf([...typed(0, 'abc'), ...typed(1500, 'def')]);
    expect(brief(t)).toEqual([
      { kind: 'type', text: 'abc' },
      { kind: 'type', text: 'def' },
    ]);
    const longer = await timelineOf([...typed(0, 'abc'), ...typed(1500, 'def')], { typingPauseMs: 2000 });
    expect(brief(longer)).toEqual([{ kind: 'type', text: 'abcdef' }]);
  });

  it('a pointer event ends the run', async () => {
    const t = await timelineOf([...typed(0, 'ab'), { type: 'mousedown', t: 120, x: 1, y: 1 }, { type: 'mouseup', t: 130, x: 1, y: 1 }, ...typed(200, 'cd')]);
    expect(brief(t)).toEqual([{ kind: 'type', text: 'ab' }, { kind: 'click' }, { kind: 'type', text: 'cd' }]);
  });

  it('a special key ends the run and is kept as a key step (Tab, Escape, arrows)', async () => {
    const t = await timelineOf([...typed(0, 'ab'), kd(120, 'Tab'), ...typed(200, 'cd'), kd(400, 'Escape')]);
    expect(brief(t)).toEqual([
      { kind: 'type', text: 'ab' },
      { kind: 'hotkey', keys: ['Tab'] },
      { kind: 'type', text: 'cd' },
      { kind: 'hotkey', keys: ['Escape'] },
    ]);
  });

  it('typing into another field starts a new run', async () => {
    const t = await timelineOf([...typed(0, 'ab', { selector: '#to' }), ...typed(120, 'cd', { selector: '#subject' })]);
    expect(t.steps.map((s) => [s.text, s.target?.selector])).toEqual([
      ['ab', '#to'],
      ['cd', '#subject'],
    ]);
  });

  it('Enter in a textarea types a newline; Enter in an input field submits', async () => {
    const area = { selector: '#body', tag: 'textarea' };
    const t = await timelineOf([...typed(0, 'hi', area), kd(120, 'Enter', area), ...typed(140, 'yo', area), ...typed(2000, 'q'), kd(2100, 'Enter')]);
    expect(brief(t)).toEqual([{ kind: 'type', text: 'hi\nyo' }, { kind: 'type', text: 'q' }, { kind: 'submit' }]);
  });

  it('Enter outside any form field is a key step', async () => {
    const t = await timelineOf([kd(0, 'Enter', null)]);
    expect(brief(t)).toEqual([{ kind: 'hotkey', keys: ['Enter'] }]);
  });
});

describe('input events (whole-field values)', () => {
  it('set the run text; the last value per field wins', async () => {
    const t = await timelineOf([
      { type: 'input', t: 0, value: 't', target: field },
      { type: 'input', t: 100, value: 'te', target: field },
      { type: 'input', t: 2500, value: 'tes', target: field },
      { type: 'input', t: 2600, value: 'test', target: field },
    ]);
    expect(brief(t)).toEqual([{ kind: 'type', text: 'test' }]);
    expect(t.steps[0]!.sourceEvents).toHaveLength(4);
  });

  it('agree with keydowns recorded alongside them, and correct them (autocomplete, paste)', async () => {
    const t = await timelineOf([
      kd(0, 'b'),
      { type: 'input', t: 1, value: 'b', target: field },
      kd(50, 'o'),
      { type: 'input', t: 51, value: 'bob@example.com', target: field },
    ]);
    expect(brief(t)).toEqual([{ kind: 'type', text: 'bob@example.com' }]);
  });

  it('a value in a different field is a different step', async () => {
    const t = await timelineOf([
      { type: 'input', t: 0, value: 'a@b.c', target: { selector: '#to' } },
      { type: 'input', t: 100, value: 'Hello', target: { selector: '#subject' } },
    ]);
    expect(t.steps.map((s) => [s.kind, s.text, s.target?.selector])).toEqual([
      ['type', 'a@b.c', '#to'],
      ['type', 'Hello', '#subject'],
    ]);
  });

  it('checkbox and radio toggles are not typing', async () => {
    const t = await timelineOf([
      { type: 'click', t: 0, x: 1, y: 1 },
      { type: 'input', t: 1, value: 'on', target: { inputType: 'checkbox' } },
    ]);
    expect(brief(t)).toEqual([{ kind: 'click' }]);
  });
});

describe('hotkeys', () => {
  it('modifier + key is a hotkey with canonical key names', async () => {
    const t = await timelineOf([
      kd(0, 'Control'),
      kd(10, 'c'),
      ku(20, 'c'),
      ku(30, 'Control'),
      kd(100, 'Meta'),
      kd(110, 'Shift'),
      kd(120, 'Z'),
      ku(130, 'Z'),
      ku(140, 'Shift'),
      ku(150, 'Meta'),
    ]);
    expect(brief(t)).toEqual([
      { kind: 'hotkey', keys: ['Control', 'c'] },
      { kind: 'hotkey', keys: ['Shift', 'Meta', 'z'] },
    ]);
    expect(t.steps[0]!.sourceEvents).toEqual(['input_events.jsonl:1', 'input_events.jsonl:2']);
  });

  it('a hotkey ends a typing run and does not type', async () => {
    const t = await timelineOf([...typed(0, 'ab'), kd(120, 'Control'), kd(130, 'a'), ku(140, 'a'), ku(150, 'Control'), ...typed(200, 'x')]);
    expect(brief(t)).toEqual([
      { kind: 'type', text: 'ab' },
      { kind: 'hotkey', keys: ['Control', 'a'] },
      { kind: 'type', text: 'x' },
    ]);
  });

  it('lone modifier presses are dropped', async () => {
    const t = await timelineOf([kd(0, 'Control'), ku(50, 'Control'), kd(100, 'Alt'), ku(150, 'Alt'), kd(200, 'Meta'), ku(250, 'Meta')]);
    expect(t.steps).toEqual([]);
  });

  it("the recorder's stop hotkey is dropped (any order, any case)", async () => {
    const events = [kd(0, 'Meta'), kd(5, 'Shift'), kd(10, 'S'), ku(20, 'S'), ku(25, 'Shift'), ku(30, 'Meta')];
    expect(brief(await timelineOf(events, { stopHotkeys: ['shift+meta+s'] }))).toEqual([]);
    expect(brief(await timelineOf(events))).toEqual([{ kind: 'hotkey', keys: ['Shift', 'Meta', 's'] }]);
  });

  it('modifiers held during a click are kept on the click step', async () => {
    const t = await timelineOf([kd(0, 'Control'), { type: 'mousedown', t: 10, x: 1, y: 1 }, { type: 'mouseup', t: 20, x: 1, y: 1 }, ku(30, 'Control')]);
    expect(brief(t)).toEqual([{ kind: 'click', keys: ['Control'] }]);
  });
});

describe('navigate, submit, select', () => {
  it('navigate is a step with the URL; consecutive navigates to the same URL collapse', async () => {
    const t = await timelineOf([
      { type: 'navigate', t: 0, url: 'http://mail.test/' },
      { type: 'navigate', t: 10, url: 'http://mail.test/' },
      { type: 'navigate', t: 500, url: 'http://mail.test/inbox' },
    ]);
    expect(t.steps.map((s) => [s.kind, s.url, s.sourceEvents.length])).toEqual([
      ['navigate', 'http://mail.test/', 2],
      ['navigate', 'http://mail.test/inbox', 1],
    ]);
    expect(t.steps[0]!.text).toBe('http://mail.test/');
  });

  it("the browser's own pointer-less click on the default button after Enter folds into the submit; a real click does not", async () => {
    const button = { tag: 'button', role: 'button', name: 'Search' };
    const t = await timelineOf([...typed(0, 'q'), kd(100, 'Enter'), { type: 'click', t: 101, x: 0, y: 0, target: button }, { type: 'submit', t: 102 }]);
    expect(brief(t)).toEqual([{ kind: 'type', text: 'q' }, { kind: 'submit' }]);
    expect(t.steps[1]!.sourceEvents).toHaveLength(3);
    const real = await timelineOf([...typed(0, 'q'), kd(100, 'Enter'), { type: 'click', t: 101, x: 40, y: 12, target: button }]);
    expect(brief(real).map((s) => s.kind)).toEqual(['type', 'submit', 'click']);
  });

  it('submit is a step; the submit event an Enter caused folds into it', async () => {
    const form = { selector: 'form#compose' };
    const t = await timelineOf([...typed(0, 'q'), kd(100, 'Enter'), { type: 'submit', t: 105, target: form }, { type: 'submit', t: 5000 }]);
    expect(brief(t)).toEqual([{ kind: 'type', text: 'q' }, { kind: 'submit' }, { kind: 'submit' }]);
    expect(t.steps[1]!.sourceEvents).toHaveLength(2);
  });

  it('select is a step with the chosen value and the field', async () => {
    const target = { selector: 'select#label', field: 'label' };
    const t = await timelineOf([{ type: 'select', t: 0, value: 'Work', target }]);
    expect(t.steps[0]).toMatchObject({ kind: 'select', text: 'Work', target });
  });
});
