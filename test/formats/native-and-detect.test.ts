import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, formats, importPath } from '../../domain/formats/index.ts';
import { writeNativeSession } from '../../domain/session/write.ts';
import { REDACTED } from '../../domain/network/index.ts';
import { fixturesDir, readWritten, realDir, rejection, tempDir } from './session-files.ts';

describe('format detection', () => {
  const cases: [string, string][] = [
    [path.join(realDir, 'playwright/trace-1.31.zip'), 'playwright'],
    [path.join(realDir, 'playwright/trace-1.37.zip'), 'playwright'],
    [path.join(realDir, 'playwright/test-trace1.zip'), 'playwright'],
    [path.join(realDir, 'playwright/trace-library-1.46.zip'), 'playwright'],
    [path.join(realDir, 'playwright/har-redirect.har'), 'har'],
    [path.join(realDir, 'playwright/har-fulfill.har'), 'har'],
    [path.join(realDir, 'rrweb/rrweb_form_interactions.json'), 'rrweb'],
    [path.join(realDir, 'chrome-recorder/benchmark.json'), 'chromeRecorder'],
    [path.join(realDir, 'clones-desktop/20250817_232256'), 'clones'],
    [path.join(fixturesDir, 'extension/compose-email'), 'extension'],
    [path.join(fixturesDir, 'opencua/episode-0001'), 'opencua'],
  ];
  it.each(cases)('%s is %s', async (p, expected) => {
    expect(await detectFormat(p)).toBe(expected);
  });

  it('lists the formats when nothing matches', async () => {
    const file = path.join(tempDir(), 'notes.json');
    writeFileSync(file, '{"hello": "world"}');
    const err = await rejection(detectFormat(file));
    expect(err.code).toBe('TP_INPUT');
    expect(err.message).toBe(
      `${file}: not a recording in any supported format (native, extension, playwright, har, rrweb, chromeRecorder, clones, opencua, opencuaBench)`,
    );
    const unknown = await rejection(importPath(file, tempDir(), { format: 'selenium' }));
    expect(unknown.message).toMatch(/unknown session format "selenium"/);
  });
});

describe('importPath', () => {
  it('reads a folder that is not a recording as a folder of recordings', async () => {
    const root = tempDir();
    cpSync(path.join(realDir, 'playwright/trace-1.31.zip'), path.join(root, 'a.zip'));
    cpSync(path.join(realDir, 'chrome-recorder/benchmark.json'), path.join(root, 'b.json'));
    writeFileSync(path.join(root, 'notes.txt'), 'not a recording');
    const out = tempDir();
    expect(await importPath(root, out, { suite: 'mix' })).toEqual(['a', 'b']);
    expect(readWritten(out, 'a').meta.suite).toBe('mix');
    expect((await rejection(importPath(tempDir(), tempDir()))).code).toBe('TP_INPUT');
  });

  it('forces a format', async () => {
    const out = tempDir();
    expect(await importPath(path.join(realDir, 'playwright/har-fulfill.har'), out, { format: 'har' })).toEqual(['har-fulfill']);
  });
});

/** The magic bytes load checks a screenshot by (import reads screenshots under the same check). */
const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
const JPEG_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);

describe('native sessions', () => {
  it('round-trips a written session, detected both as one folder and as a root of folders', async () => {
    const src = tempDir();
    const dir = await writeNativeSession(src, {
      meta: { id: 's1', suite: 'mail', startedAt: '2024-01-01T00:00:00.000Z', viewport: { width: 800, height: 600 } },
      events: [
        { type: 'click', t: 200, x: 1, y: 2, button: 'left', count: 1 },
        { type: 'navigate', t: 0, url: 'http://x.test/?token=SEEDED' },
        { type: 'input', t: 300, value: 'hunter2', target: { inputType: 'password' } },
        { type: 'input', t: 400, value: '{ "typed": true }' },
        { type: 'input', t: 500, value: 'OTP-SEEDED-991', target: { inputType: 'text', field: 'otp_code' } },
      ],
      screenshots: [
        { t: 150.4, data: JPEG_BYTES, ext: 'jpeg' },
        { t: 150, data: PNG_BYTES, ext: 'png' },
      ],
    });
    expect(dir).toBe(path.join(src, 's1'));
    const written = readWritten(src, 's1');
    expect(written.events.map((e) => e.type)).toEqual(['navigate', 'click', 'input', 'input', 'input']);
    expect(written.events[3]).toMatchObject({ value: '{ "typed": true }' });
    expect(written.events[4]).toMatchObject({ value: REDACTED });
    expect(JSON.stringify(written.events)).not.toMatch(/SEEDED|hunter2/);
    expect(written.screenshots).toEqual(['00000150.png', '00000151.jpg']);
    expect(await detectFormat(dir)).toBe('native');
    expect(await detectFormat(src)).toBe('native');

    const out = tempDir();
    expect(await importPath(src, out)).toEqual(['s1']);
    const copy = readWritten(out, 's1');
    expect(copy.meta).toEqual(written.meta);
    expect(copy.events.map((e) => e.id)).toEqual([
      'input_events.jsonl:1',
      'input_events.jsonl:2',
      'input_events.jsonl:3',
      'input_events.jsonl:4',
      'input_events.jsonl:5',
    ]);
    expect(copy.screenshots).toEqual(written.screenshots);
  });

  it('rejects a bad line and a clock that goes back, naming file, line and field', async () => {
    const root = tempDir();
    const dir = path.join(root, 's2');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'session.json'), JSON.stringify({ id: 's2', suite: 'mail', startedAt: '2024-01-01T00:00:00Z' }));
    const events = path.join(dir, 'input_events.jsonl');
    writeFileSync(events, '{"type":"click","t":5}\n{"type":"keydown","t":6}\n');
    let err = await rejection(formats.native.convert(dir, tempDir(), {}));
    expect(err.location).toEqual({ file: events, line: 2, field: 'key' });
    writeFileSync(events, '{"type":"click","t":5}\n{"type":"click","t":4}\n');
    err = await rejection(formats.native.convert(dir, tempDir(), {}));
    expect(err.location).toEqual({ file: events, line: 2, field: 't' });
    writeFileSync(path.join(dir, 'session.json'), JSON.stringify({ id: 's2', startedAt: '2024-01-01T00:00:00Z' }));
    err = await rejection(formats.native.convert(dir, tempDir(), {}));
    expect(err.location).toEqual({ file: path.join(dir, 'session.json'), field: 'suite' });
  });

  it('replaces an existing session and leaves no temporary folder', async () => {
    const root = tempDir();
    const meta = { id: 'same', suite: 'mail', startedAt: '2024-01-01T00:00:00.000Z' };
    await writeNativeSession(root, { meta, events: [{ type: 'submit', t: 1 }] });
    await writeNativeSession(root, { meta, events: [{ type: 'submit', t: 2 }] });
    expect(readFileSync(path.join(root, 'same', 'input_events.jsonl'), 'utf8')).toBe('{"t":2,"type":"submit"}\n');
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(root)).toEqual(['same']);
  });
});
