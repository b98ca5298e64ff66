import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formats } from '../../domain/formats/index.ts';
import { readWritten, realDir, rejection, tempDir } from './session-files.ts';

const sample = path.join(realDir, 'rrweb/rrweb_form_interactions.json');

describe('rrweb importer', () => {
  it('turns the real form recording into the edits and clicks the script made', async () => {
    const out = tempDir();
    const ids = await formats.rrweb.convert(sample, out, {});
    expect(ids).toEqual(['rrweb_form_interactions']);
    const s = readWritten(out, ids[0]!);
    const summary = s.events.map((e) => [e.type, 'value' in e ? e.value : e.type === 'navigate' ? e.url : e.target?.inputType]);
    expect(summary).toEqual([
      ['navigate', 'about:blank'],
      ['input', 'test'],
      ['click', 'radio'],
      ['check', 'on'],
      ['check', 'off'],
      ['click', 'checkbox'],
      ['check', 'checkbox'],
      ['input', 'textarea test'],
      ['select', '1'],
    ]);
    expect(s.events.filter((e) => e.type === 'check').map((e) => e.type === 'check' && e.checked)).toEqual([true, false, true]);
    expect(s.events[1]?.target).toMatchObject({ tag: 'input', inputType: 'text', field: 'text' });
    expect(s.events[2]?.target).toMatchObject({ tag: 'input', inputType: 'radio', field: 'toggle', selector: 'input[name="toggle"][value="on"]' });
    expect(s.events[7]?.target).toMatchObject({ tag: 'textarea' });
    expect(s.events[8]?.target).toMatchObject({ tag: 'select' });
    // Every field was focused before its typing, so nothing is marked as a script's.
    expect(s.events.some((e) => 'scripted' in e)).toBe(false);
    // Timestamps were stripped by the harness: times are synthesized 100 ms apart, in order.
    const ts = s.events.map((e) => e.t);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(ts[0]).toBe(200);
    expect(s.meta).toMatchObject({ id: 'rrweb_form_interactions', suite: 'web', viewport: { width: 1920, height: 1080 } });
    expect(s.events.every((e) => e.id.startsWith('rrweb_form_interactions.json#'))).toBe(true);
  });

  it('uses real timestamps when present and rejects a bad input event', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'rec.json');
    const node = { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: 'input', attributes: { name: 'q' }, childNodes: [] }] };
    writeFileSync(
      file,
      JSON.stringify([
        { type: 4, data: { href: 'http://x.test/', width: 800, height: 600 }, timestamp: 1000 },
        { type: 2, data: { node }, timestamp: 1010 },
        { type: 3, data: { source: 5, id: 2, text: 'a' }, timestamp: 1500 },
        { type: 3, data: { source: 5, id: 2, text: 'ab' }, timestamp: 1600 },
        { type: 3, data: { source: 5, id: 2, text: 'set by script', userTriggered: false }, timestamp: 1700 },
        { type: 3, data: { source: 3, id: 1, x: 0, y: 300 }, timestamp: 2000 },
      ]),
    );
    const out = tempDir();
    await formats.rrweb.convert(file, out, { suite: 'search' });
    const s = readWritten(out, 'rec');
    expect(s.meta.suite).toBe('search');
    // The script's value is kept, marked, as an event of its own: the person's run ends before it.
    expect(s.events.map((e) => [e.type, e.t, 'scripted' in e])).toEqual([
      ['navigate', 0, false],
      ['input', 600, false],
      ['input', 700, true],
      ['wheel', 1000, false],
    ]);
    expect(s.events[1]).toMatchObject({ value: 'ab', url: 'http://x.test/', target: { field: 'q', selector: 'input[name="q"]' } });

    writeFileSync(
      file,
      JSON.stringify([
        { type: 4, data: { href: 'x' } },
        { type: 3, data: { source: 5, text: 'a' } },
      ]),
    );
    const err = await rejection(formats.rrweb.convert(file, out, {}));
    expect(err.code).toBe('TP_INPUT');
    expect(err.location).toMatchObject({ file, field: '[1].data.id' });
  });
});
