import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAndNormalize } from '../normalize/run-stages.ts';
import { realDir, tempDir } from './session-files.ts';

const options = { screenshots: { enabled: false } };
/** The steps after the recording's first navigate (each recording opens with one). */
const acts = (t: { steps: { kind: string }[] }) => {
  expect(t.steps[0]!.kind).toBe('navigate');
  return t.steps.slice(1) as Awaited<ReturnType<typeof loadAndNormalize>>['timeline']['steps'];
};
const sample = path.join(realDir, 'rrweb/rrweb_form_interactions.json');

describe('rrweb recordings reduced', () => {
  it('the real form recording: typing, a radio and a checkbox as check steps, the select with its value', async () => {
    const { timeline } = await loadAndNormalize(sample, options);
    expect(acts(timeline).map((s) => [s.kind, s.text ?? null, s.checked ?? null, s.button ?? null, s.target?.tag])).toEqual([
      ['type', 'test', null, null, 'input'],
      ['check', 'on', true, 'left', 'input'],
      ['check', null, true, 'left', 'input'],
      ['type', 'textarea test', null, null, 'textarea'],
      ['select', '1', null, null, 'select'],
    ]);
    // The radio that lost its check (id 32, "off") is no step.
    expect(acts(timeline)[1]!.target?.selector).toBe('input[name="toggle"][value="on"]');
  });

  /**
   * Built the way rrweb 2.x records a page (rrweb-io/rrweb packages/types: EventType, IncrementalSource,
   * MouseInteractions, PointerTypes): a full snapshot, then incremental events with timestamps;
   * pointer interactions carry x/y and pointerType; Input carries text/isChecked and, with
   * userTriggeredOnInput, userTriggered.
   */
  const doc = {
    type: 0,
    id: 1,
    childNodes: [
      {
        type: 2,
        id: 2,
        tagName: 'body',
        attributes: {},
        childNodes: [
          { type: 2, id: 3, tagName: 'input', attributes: { name: 'city', type: 'text' }, childNodes: [] },
          { type: 2, id: 4, tagName: 'input', attributes: { name: 'zip', type: 'text' }, childNodes: [] },
          { type: 2, id: 5, tagName: 'span', attributes: { class: 'select2-selection', role: 'combobox' }, childNodes: [] },
          { type: 2, id: 6, tagName: 'li', attributes: { class: 'select2-results__option', role: 'option' }, childNodes: [] },
          { type: 2, id: 7, tagName: 'select', attributes: { name: 'country' }, childNodes: [] },
          { type: 2, id: 8, tagName: 'a', attributes: { href: '/next', id: 'next' }, childNodes: [] },
        ],
      },
    ],
  };
  const mi = (ts: number, type: number, id: number, x: number, y: number, pointerType = 0) => ({
    type: 3,
    timestamp: ts,
    data: { source: 2, type, id, x, y, pointerType },
  });
  const input = (ts: number, id: number, text: string, extra: object = {}) => ({
    type: 3,
    timestamp: ts,
    data: { source: 5, id, text, isChecked: false, ...extra },
  });
  function recording(events: object[]): string {
    const file = path.join(tempDir(), 'rec.json');
    writeFileSync(
      file,
      JSON.stringify([
        { type: 4, timestamp: 1000, data: { href: 'http://shop.test/', width: 800, height: 600 } },
        { type: 2, timestamp: 1001, data: { node: doc } },
        ...events,
      ]),
    );
    return file;
  }

  it('a tap (TouchStart/TouchEnd, then the click the browser sends with pointerType touch) is one touch step', async () => {
    const { timeline } = await loadAndNormalize(recording([mi(2000, 7, 8, 100, 50, 2), mi(2060, 9, 8, 100, 50, 2), mi(2061, 2, 8, 100, 50, 2)]), options);
    expect(acts(timeline).map((s) => [s.kind, s.button, s.pointer, s.target?.id])).toEqual([['click', 'left', 'touch', 'next']]);
    expect(acts(timeline)[0]!.sourceEvents).toHaveLength(3);
  });

  it('a press on a select2 box released on its dropdown option (the click lands on body) is a click on the box', async () => {
    const { timeline } = await loadAndNormalize(recording([mi(2000, 1, 5, 300, 200), mi(2090, 0, 6, 300, 201), mi(2091, 2, 2, 300, 201)]), options);
    expect(acts(timeline).map((s) => [s.kind, s.button, s.target?.role])).toEqual([['click', 'left', 'combobox']]);
  });

  it('a right press (its ContextMenu before the release) is one right_click', async () => {
    const { timeline } = await loadAndNormalize(recording([mi(2000, 1, 8, 10, 10), mi(2050, 3, 8, 10, 10), mi(2120, 0, 8, 10, 10)]), options);
    expect(acts(timeline).map((s) => [s.kind, s.button])).toEqual([['right_click', 'right']]);
    // Windows opens the menu on release: the ContextMenu comes right after the MouseUp.
    const windows = await loadAndNormalize(
      recording([
        mi(2000, 1, 8, 10, 10),
        mi(2080, 0, 8, 10, 10),
        mi(2081, 3, 8, 10, 10),
        mi(3000, 1, 8, 10, 10),
        mi(3050, 0, 8, 10, 10),
        mi(3051, 2, 8, 10, 10),
      ]),
      options,
    );
    expect(acts(windows.timeline).map((s) => [s.kind, s.button])).toEqual([
      ['right_click', 'right'],
      ['click', 'left'],
    ]);
  });

  it('values a script set on a field the person never focused are not typing, with or without userTriggered', async () => {
    const { timeline } = await loadAndNormalize(
      recording([
        mi(2000, 5, 3, 0, 0), // Focus on city
        input(2100, 3, 'L'),
        input(2200, 3, 'Ly'),
        input(2300, 3, 'Lyon'),
        input(2400, 4, '69001', { userTriggered: false }), // zip filled by the page, userTriggeredOnInput on
        input(2500, 4, '69002'), // zip filled again, never focused: rrweb without userTriggered
      ]),
      options,
    );
    expect(acts(timeline).map((s) => [s.kind, s.text])).toEqual([['type', 'Lyon']]);
  });

  it('a select the select2 widget set through the page (userTriggered false) right after the clicks is a select step', async () => {
    const { timeline } = await loadAndNormalize(
      recording([
        mi(2000, 1, 5, 300, 200),
        mi(2060, 0, 5, 300, 200),
        mi(2061, 2, 5, 300, 200),
        mi(2800, 1, 6, 300, 260),
        mi(2860, 0, 6, 300, 260),
        mi(2861, 2, 6, 300, 260),
        input(2870, 7, 'fr', { userTriggered: false }),
      ]),
      options,
    );
    expect(acts(timeline).map((s) => [s.kind, s.text ?? null, s.target?.tag])).toEqual([
      ['click', null, 'span'],
      ['click', null, 'li'],
      ['select', 'fr', 'select'],
    ]);
  });
});

describe('rrweb double clicks', () => {
  const doc = { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: 'p', attributes: { id: 'word' }, childNodes: [] }] };
  const mi = (ts: number, type: number) => ({ type: 3, timestamp: ts, data: { source: 2, type, id: 2, x: 40, y: 40, pointerType: 0 } });
  it('press, release, click twice and the DblClick the browser adds are one double_click', async () => {
    const file = path.join(tempDir(), 'dbl.json');
    writeFileSync(
      file,
      JSON.stringify([
        { type: 4, timestamp: 1000, data: { href: 'http://x.test/', width: 800, height: 600 } },
        { type: 2, timestamp: 1001, data: { node: doc } },
        mi(2000, 1),
        mi(2050, 0),
        mi(2051, 2),
        mi(2150, 1),
        mi(2200, 0),
        mi(2201, 2),
        mi(2202, 4),
      ]),
    );
    const { timeline } = await loadAndNormalize(file, { screenshots: { enabled: false } });
    expect(timeline.steps.slice(1).map((s) => [s.kind, s.button, s.sourceEvents.length])).toEqual([['double_click', 'left', 7]]);
  });
});
