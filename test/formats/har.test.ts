import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formats } from '../../domain/formats/index.ts';
import { readWritten, realDir, rejection, tempDir } from './session-files.ts';

describe('HAR importer', () => {
  it('follows the redirect chain to the page it landed on', async () => {
    const out = tempDir();
    expect(await formats.har.convert(path.join(realDir, 'playwright/har-redirect.har'), out, {})).toEqual(['har-redirect']);
    const s = readWritten(out, 'har-redirect');
    expect(s.events).toEqual([{ id: 'har-redirect.har#0', t: 50, type: 'navigate', url: 'https://www.theverge.com/' }]);
    expect(s.meta.startedAt).toBe('2022-06-16T21:41:23.901Z');
    expect(s.har?.log.entries).toHaveLength(3);
  });

  it('keeps every entry of a page load and redacts the written HAR', async () => {
    const out = tempDir();
    await formats.har.convert(path.join(realDir, 'playwright/har-fulfill.har'), out, { suite: 'demo' });
    const s = readWritten(out, 'har-fulfill');
    expect(s.events.map((e) => e.type === 'navigate' && e.url)).toEqual(['http://no.playwright/']);
    expect(s.har?.log.entries).toHaveLength(5);
    expect(s.meta.suite).toBe('demo');

    const dir = tempDir();
    const file = path.join(dir, 'login.har');
    const doc = JSON.parse(readFileSync(path.join(realDir, 'playwright/har-fulfill.har'), 'utf8'));
    doc.log.entries[0].request.headers.push({ name: 'Cookie', value: 'sid=SEEDEDCOOKIE' });
    doc.log.entries[0].request.url = 'http://no.playwright/?api_key=SEEDEDKEY';
    writeFileSync(file, JSON.stringify(doc));
    await formats.har.convert(file, out, {});
    const text = readFileSync(path.join(out, 'login', 'network.har'), 'utf8') + readFileSync(path.join(out, 'login', 'input_events.jsonl'), 'utf8');
    expect(text).not.toContain('SEEDEDCOOKIE');
    expect(text).not.toContain('SEEDEDKEY');
  });

  it('names the entry and field that is wrong', async () => {
    const file = path.join(tempDir(), 'network.har');
    writeFileSync(
      file,
      JSON.stringify({ log: { entries: [{ startedDateTime: '2024-01-01T00:00:00Z', request: { method: 'GET' }, response: { status: 200 } }] } }),
    );
    const err = await rejection(formats.har.convert(file, tempDir(), {}));
    expect(err.message).toBe(`${file}: log.entries[0].request.url is missing`);
  });
});
