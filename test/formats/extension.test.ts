import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formats } from '../../domain/formats/index.ts';
import { REDACTED } from '../../domain/network/index.ts';
import { fixturesDir, readWritten, rejection, tempDir } from './session-files.ts';

const sample = path.join(fixturesDir, 'extension/compose-email');

describe('browser-extension importer', () => {
  it('imports events with selector targets, screenshots by time, suite and viewport', async () => {
    const out = tempDir();
    expect(await formats.extension.convert(sample, out, {})).toEqual(['compose-email']);
    const s = readWritten(out, 'compose-email');
    expect(s.events.map((e) => [e.t, e.type, 'value' in e ? e.value : 'key' in e ? e.key : (e.target?.id ?? '')])).toEqual([
      [0, 'navigate', ''],
      [1200, 'click', 'compose'],
      [2300, 'input', 'bob@example.com'],
      [2900, 'keydown', 'Tab'],
      [2900, 'keyup', 'Tab'],
      [3600, 'input', 'Lunch on Friday'],
      [5200, 'input', 'Are you free at noon?'],
      [5900, 'wheel', 'compose-pane'],
      [6500, 'click', 'send'],
    ]);
    expect(s.events[0]).toMatchObject({ url: `http://127.0.0.1:3000/?sid=${REDACTED}` });
    expect(s.events[1]).toMatchObject({
      id: 'input/1732262401200-a1f0c3e2-0002.json',
      x: 64,
      y: 120,
      target: { selector: 'button#compose.btn.btn-primary', tag: 'button', classes: ['btn', 'btn-primary'] },
    });
    expect(s.events[7]).toMatchObject({ dy: 240 });
    expect(s.screenshots).toEqual(['00001100.png', '00006400.png']);
    expect(s.meta).toMatchObject({ suite: 'mail', viewport: { width: 1280, height: 800 }, startedAt: new Date(1732262400000).toISOString() });
  });

  it('names the file and field of a bad event', async () => {
    const dir = path.join(tempDir(), 'rec');
    cpSync(sample, dir, { recursive: true });
    const file = path.join(dir, 'input', '1732262409999-bad.json');
    writeFileSync(file, JSON.stringify({ suite: 'mail', tab: 1, url: 'http://x/', action: 'click' }));
    const err = await rejection(formats.extension.convert(dir, tempDir(), {}));
    expect(err.code).toBe('TP_INPUT');
    expect(err.location).toEqual({ file, field: 'timestamp' });
  });
});
