import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAndNormalize } from '../normalize/run-stages.ts';
import { tempDir } from './session-files.ts';

/**
 * Built the way the browser-extension layout is written (DESIGN §2: one `input/<ts>-<uuid>.json`
 * per event, `{suite, tab, url, timestamp, action, selector{tag,id,class}, additional_info}`),
 * with the DOM event fields the importer reads when present (button, pointerType, checked,
 * isTrusted, selector.type).
 */
const options = { screenshots: { enabled: false } };
const url = 'http://127.0.0.1:3000/#settings';

function recording(events: { ts: number; action: string; selector?: object; info?: object }[]): string {
  const dir = path.join(tempDir(), 'ext');
  mkdirSync(path.join(dir, 'input'), { recursive: true });
  events.forEach((e, i) => {
    const doc = {
      suite: 'mail',
      tab: 1,
      url,
      timestamp: 1_732_262_400_000 + e.ts,
      action: e.action,
      selector: e.selector ?? null,
      additional_info: e.info ?? {},
    };
    writeFileSync(path.join(dir, 'input', `${doc.timestamp}-${String(i).padStart(4, '0')}.json`), JSON.stringify(doc));
  });
  return dir;
}

describe('browser-extension recordings reduced', () => {
  it('a click on a checkbox label and its change (checked) are one check step; a radio keeps its value', async () => {
    const { timeline } = await loadAndNormalize(
      recording([
        { ts: 100, action: 'click', selector: { tag: 'LABEL', id: 'agree-label' }, info: { x: 10, y: 10 } },
        { ts: 102, action: 'change', selector: { tag: 'INPUT', id: 'agree', type: 'checkbox' }, info: { checked: true, value: 'on' } },
        { ts: 900, action: 'click', selector: { tag: 'INPUT', id: 'size-m', type: 'radio' }, info: { x: 10, y: 40 } },
        { ts: 901, action: 'change', selector: { tag: 'INPUT', id: 'size-m', type: 'radio' }, info: { checked: true, value: 'm' } },
      ]),
      options,
    );
    expect(timeline.steps.map((s) => [s.kind, s.checked, s.text ?? null, s.button, s.target?.id])).toEqual([
      ['check', true, null, 'left', 'agree'],
      ['check', true, 'm', 'left', 'size-m'],
    ]);
  });

  it('buttons from MouseEvent.button; a tap with the compatibility click is one touch step', async () => {
    const { timeline } = await loadAndNormalize(
      recording([
        { ts: 100, action: 'click', selector: { tag: 'A', id: 'l1' }, info: { x: 5, y: 5, button: 1 } },
        { ts: 1000, action: 'click', selector: { tag: 'A', id: 'l2' }, info: { x: 6, y: 6, button: 3 } },
        { ts: 2000, action: 'touchstart', selector: { tag: 'BUTTON', id: 'go' }, info: { x: 50, y: 80 } },
        { ts: 2070, action: 'touchend', selector: { tag: 'BUTTON', id: 'go' }, info: { x: 50, y: 80 } },
        { ts: 2075, action: 'click', selector: { tag: 'BUTTON', id: 'go' }, info: { x: 50, y: 80, button: 0 } },
      ]),
      options,
    );
    expect(timeline.steps.map((s) => [s.kind, s.button, s.pointer ?? null, s.target?.id])).toEqual([
      ['click', 'middle', null, 'l1'],
      ['click', 'back', null, 'l2'],
      ['click', 'left', 'touch', 'go'],
    ]);
  });

  it('an input event a page script dispatched (isTrusted false) on a field the person never touched is not typing', async () => {
    const { timeline } = await loadAndNormalize(
      recording([
        { ts: 100, action: 'click', selector: { tag: 'INPUT', id: 'name', type: 'text' }, info: { x: 5, y: 5 } },
        { ts: 300, action: 'input', selector: { tag: 'INPUT', id: 'name', type: 'text' }, info: { value: 'Ada' } },
        { ts: 400, action: 'input', selector: { tag: 'INPUT', id: 'slug', type: 'text' }, info: { value: 'ada', isTrusted: false } },
      ]),
      options,
    );
    expect(timeline.steps.map((s) => [s.kind, s.text ?? null, s.target?.id])).toEqual([
      ['click', null, 'name'],
      ['type', 'Ada', 'name'],
    ]);
  });
});
