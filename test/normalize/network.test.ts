import { describe, expect, it } from 'vitest';
import { STARTED_AT_MS, tempDir, writeSession } from '../load/fixture.ts';
import { loadAndNormalize } from './run-stages.ts';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlci0xMjMifQ.c2lnbmF0dXJlLXNlY3JldC14eXo';
const SECRETS = {
  bearer: 'BearerSecretTokenValue0123456789',
  cookie: 'sid=CookieSecretValue0123456789',
  apiKey: 'ApiKeySecretValue0123456789',
  setCookie: 'session=SetCookieSecret0123456789',
  password: 'PasswordSecret0123456789',
};

const at = (ms: number) => new Date(STARTED_AT_MS + ms).toISOString();

function entry(
  ms: number,
  method: string,
  url: string,
  opts: { headers?: [string, string][]; body?: string; mime?: string; resBody?: string; resMime?: string; resHeaders?: [string, string][] } = {},
) {
  return {
    startedDateTime: at(ms),
    time: 5,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      headers: (opts.headers ?? []).map(([name, value]) => ({ name, value })),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: -1,
      ...(opts.body === undefined ? {} : { postData: { mimeType: opts.mime ?? 'application/json', text: opts.body } }),
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: (opts.resHeaders ?? []).map(([name, value]) => ({ name, value })),
      cookies: [],
      content: { size: opts.resBody?.length ?? 0, mimeType: opts.resMime ?? 'application/json', ...(opts.resBody === undefined ? {} : { text: opts.resBody }) },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 5, receive: 0 },
  };
}

const har = (entries: unknown[]) => ({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } });

const click = (t: number) => [
  { type: 'mousedown', t, x: 10, y: 10 },
  { type: 'mouseup', t: t + 30, x: 10, y: 10 },
];

describe('network', () => {
  const entries = [
    entry(50, 'GET', 'http://mail.test/api/messages?label=INBOX', { headers: [['Authorization', `Bearer ${SECRETS.bearer}`]] }),
    entry(1100, 'GET', 'http://mail.test/app.js', { resMime: 'application/javascript' }),
    entry(1200, 'GET', 'http://mail.test/logo.png', { resMime: 'image/png' }),
    entry(1300, 'POST', `http://mail.test/api/messages/send?api_key=${SECRETS.apiKey}`, {
      headers: [
        ['Cookie', SECRETS.cookie],
        ['X-Auth', JWT],
        ['Content-Type', 'application/json'],
      ],
      body: JSON.stringify({ to: ['bob@example.com'], subject: 'Hi', body: 'Hello Bob', password: SECRETS.password, token: JWT }),
      resBody: JSON.stringify({ id: 'm-0042', jwt: JWT }),
      resHeaders: [['Set-Cookie', SECRETS.setCookie]],
    }),
    entry(3500, 'GET', 'http://analytics.test/collect'),
  ];
  const events = [...click(1000), ...click(3000)];

  it('attaches each request to the step it follows; earlier requests are the preamble', async () => {
    const dir = writeSession(tempDir(), 's1', { events, har: har(entries) });
    const { timeline } = await loadAndNormalize(dir);
    expect(timeline.preamble.map((r) => r.url)).toEqual(['http://mail.test/api/messages?label=INBOX']);
    expect(timeline.steps[0]!.network.map((r) => [r.method, r.t])).toEqual([['POST', 1300]]);
    expect(timeline.steps[1]!.network.map((r) => r.url)).toEqual(['http://analytics.test/collect']);
    const send = timeline.steps[0]!.network[0]!;
    expect(send.requestBody).toMatchObject({ to: ['bob@example.com'], subject: 'Hi', body: 'Hello Bob' });
    expect(send.responseBody).toMatchObject({ id: 'm-0042' });
    expect(send.status).toBe(200);
  });

  it('no seeded credential appears anywhere in the output', async () => {
    const dir = writeSession(tempDir(), 's1', { events, har: har(entries) });
    const { timeline } = await loadAndNormalize(dir);
    const json = JSON.stringify(timeline);
    for (const secret of [...Object.values(SECRETS), JWT, 'CookieSecretValue', 'SetCookieSecret']) expect(json).not.toContain(secret);
    expect(json).toContain('[REDACTED]');
  });

  it('include/exclude globs and static-asset dropping follow the options', async () => {
    const dir = writeSession(tempDir(), 's1', { events, har: har(entries) });
    const only = await loadAndNormalize(dir, { network: { include: ['/api/**'] } });
    const urls = (t: typeof only.timeline) => [...t.preamble, ...t.steps.flatMap((s) => s.network)].map((r) => new URL(r.url).pathname);
    expect(urls(only.timeline)).toEqual(['/api/messages', '/api/messages/send']);
    const withAssets = await loadAndNormalize(dir, { network: { dropStaticAssets: false, exclude: ['**/collect'] } });
    expect(urls(withAssets.timeline)).toEqual(['/api/messages', '/app.js', '/logo.png', '/api/messages/send']);
  });

  it('a session without network.har has no requests', async () => {
    const { timeline } = await loadAndNormalize(writeSession(tempDir(), 's1', { events }));
    expect(timeline.preamble).toEqual([]);
    expect(timeline.steps.every((s) => s.network.length === 0)).toBe(true);
  });
});

describe('credentials in the input events themselves', () => {
  it('text typed into a password field, tokens in page URLs and typed tokens never reach the timeline', async () => {
    const pw = { selector: '#pw', tag: 'input', inputType: 'password', field: 'password' };
    const otp = { selector: '#code', tag: 'input', field: 'otp_code' };
    const user = { selector: '#user', tag: 'input', field: 'username' };
    const dir = writeSession(tempDir(), 's1', {
      events: [
        { type: 'navigate', t: 0, url: `http://mail.test/login?access_token=${SECRETS.apiKey}&next=/inbox` },
        ...[...'alice'].map((key, i) => ({ type: 'keydown', t: 100 + i * 50, key, target: user, url: `http://mail.test/login?session_id=${SECRETS.cookie}` })),
        ...[...SECRETS.password].map((key, i) => ({ type: 'keydown', t: 2000 + i * 50, key, target: pw })),
        { type: 'input', t: 5000, value: '123456', target: otp },
        { type: 'input', t: 7000, value: `token is Bearer ${SECRETS.bearer}`, target: { selector: '#notes' } },
      ],
    });
    const { timeline } = await loadAndNormalize(dir);
    const json = JSON.stringify(timeline);
    for (const secret of [SECRETS.password, SECRETS.apiKey, SECRETS.bearer, 'CookieSecretValue', '123456']) expect(json).not.toContain(secret);
    expect(timeline.steps.map((s) => s.text)).toEqual([
      'http://mail.test/login?access_token=[REDACTED]&next=/inbox',
      'alice',
      '[REDACTED]',
      '[REDACTED]',
      'token is Bearer [REDACTED]',
    ]);
  });
});
