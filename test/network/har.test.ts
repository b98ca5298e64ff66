import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TracepipeError } from '../../engine/errors.ts';
import { isStaticAsset, readHar, selectRequests } from '../../domain/network/index.ts';
import type { HarEntry } from '../../domain/network/index.ts';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/formats/real/playwright');

function catchError(fn: () => unknown): TracepipeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TracepipeError) return err;
    throw err;
  }
  throw new Error('expected a TracepipeError');
}

const entry = (over: Partial<HarEntry['request']> & { t?: number; mime?: string; text?: string; status?: number } = {}): HarEntry => ({
  startedDateTime: new Date(Date.parse('2024-01-01T00:00:00.000Z') + (over.t ?? 0)).toISOString(),
  request: {
    method: over.method ?? 'GET',
    url: over.url ?? 'http://127.0.0.1:3000/api/messages?label=INBOX',
    headers: [],
    ...(over.postData === undefined ? {} : { postData: over.postData }),
  },
  response: {
    status: over.status ?? 200,
    headers: [],
    content: { mimeType: over.mime ?? 'application/json', ...(over.text === undefined ? {} : { text: over.text }) },
  },
});

describe('readHar', () => {
  it('reads the real Playwright HARs', () => {
    const har = readHar(readFileSync(path.join(fixtures, 'har-redirect.har'), 'utf8'), 'har-redirect.har');
    expect(har.log.entries.map((e) => e.response.status)).toEqual([301, 301, 200]);
    expect(har.log.entries[2]?.request.url).toBe('https://www.theverge.com/');
  });

  it('names the file and the field of a missing url', () => {
    const doc = { log: { entries: [entry(), entry(), entry(), { ...entry(), request: { method: 'GET', headers: [] } }] } };
    const err = catchError(() => readHar(doc, 'network.har'));
    expect(err.code).toBe('TP_INPUT');
    expect(err.message).toBe('network.har: log.entries[3].request.url is missing');
    expect(err.location).toEqual({ file: 'network.har', field: 'log.entries[3].request.url' });
  });

  it('rejects bad JSON, a missing log, a non-numeric status and a bad time', () => {
    expect(catchError(() => readHar('{nope', 'a.har')).message).toMatch(/^a\.har: not valid JSON/);
    expect(catchError(() => readHar({}, 'a.har')).message).toBe('a.har: log is missing');
    const badStatus = { log: { entries: [{ ...entry(), response: { status: '200', headers: [], content: {} } }] } };
    expect(catchError(() => readHar(badStatus, 'a.har')).message).toBe('a.har: log.entries[0].response.status is not a number');
    const badTime = { log: { entries: [{ ...entry(), startedDateTime: 'yesterday' }] } };
    expect(catchError(() => readHar(badTime, 'a.har')).location?.field).toBe('log.entries[0].startedDateTime');
  });
});

describe('selectRequests', () => {
  const start = Date.parse('2024-01-01T00:00:00.000Z');
  const entries = [
    entry({ t: 500, url: 'http://127.0.0.1:3000/', mime: 'text/html', text: '<html></html>' }),
    entry({ t: 600, url: 'http://127.0.0.1:3000/app.js', mime: 'application/javascript' }),
    entry({ t: 610, url: 'http://127.0.0.1:3000/logo.png', mime: '' }),
    entry({ t: 620, url: 'https://fonts.example.com/x.woff2', mime: 'font/woff2' }),
    entry({ t: 630, url: 'http://127.0.0.1:3000/style.css', mime: 'text/css' }),
    entry({ t: 2000, url: 'http://127.0.0.1:3000/api/messages?label=INBOX', text: '{"messages":[{"id":"m-0001"}]}' }),
    entry({
      t: 3000,
      method: 'POST',
      url: 'http://127.0.0.1:3000/api/messages/send',
      postData: { mimeType: 'application/json', text: '{"to":["bob@example.com"],"subject":"Hi","body":"Yo"}' },
      text: Buffer.from('{"id":"m-0100"}').toString('base64'),
    }),
    entry({ t: 4000, url: 'http://127.0.0.1:3000/api/health' }),
  ];
  entries[6]!.response.content.encoding = 'base64';

  it('drops static assets, times requests from the start, parses and decodes bodies', () => {
    const reqs = selectRequests(entries, { dropStaticAssets: true, startedAtMs: start });
    expect(reqs.map((r) => [r.t, r.method, new URL(r.url).pathname])).toEqual([
      [500, 'GET', '/'],
      [2000, 'GET', '/api/messages'],
      [3000, 'POST', '/api/messages/send'],
      [4000, 'GET', '/api/health'],
    ]);
    expect(reqs[1]?.responseBody).toEqual({ messages: [{ id: 'm-0001' }] });
    expect(reqs[2]?.requestBody).toEqual({ to: ['bob@example.com'], subject: 'Hi', body: 'Yo' });
    expect(reqs[2]?.responseBody).toEqual({ id: 'm-0100' });
    expect(reqs[2]?.id).toBe('network.har#6');
  });

  it('keeps assets when asked and filters by include/exclude globs', () => {
    expect(selectRequests(entries, { dropStaticAssets: false, startedAtMs: start })).toHaveLength(8);
    const api = selectRequests(entries, { include: ['**/api/**'], exclude: ['**/api/health'], dropStaticAssets: true, startedAtMs: start });
    expect(api.map((r) => new URL(r.url).pathname)).toEqual(['/api/messages', '/api/messages/send']);
    const byPath = selectRequests(entries, { include: ['/api/messages/*'], dropStaticAssets: true, startedAtMs: start });
    expect(byPath.map((r) => new URL(r.url).pathname)).toEqual(['/api/messages/send']);
  });

  it('caps long text bodies', () => {
    const big = entry({ url: 'http://x.test/page', mime: 'text/plain', text: 'a'.repeat(5000) });
    const [req] = selectRequests([big], { dropStaticAssets: true, startedAtMs: start, maxBodyChars: 100 });
    expect(String(req?.responseBody)).toMatch(/^a{100}…\[truncated 4900 chars\]$/);
  });

  it('recognizes assets by mime type and by extension', () => {
    expect(isStaticAsset('http://x/a', 'image/svg+xml')).toBe(true);
    expect(isStaticAsset('http://x/a.mjs?v=2', undefined)).toBe(true);
    expect(isStaticAsset('http://x/api/data', 'application/json')).toBe(false);
  });
});
