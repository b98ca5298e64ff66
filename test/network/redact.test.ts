import { describe, expect, it } from 'vitest';
import { isSecretName, REDACTED, redact, redactHar, redactRequest, redactString, selectRequests } from '../../domain/network/index.ts';
import type { Har, HarEntry } from '../../domain/network/index.ts';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl';
const SECRETS = {
  authHeader: 'AUTHHEADERSECRET123',
  proxyAuth: 'PROXYAUTHSECRET456',
  cookie: 'COOKIESECRETVALUE',
  setCookie: 'SETCOOKIESECRET',
  apiKeyHeader: 'XAPIKEYSECRET789',
  queryToken: 'QUERYTOKENSECRET',
  queryApiKey: 'QUERYAPIKEYSECRET',
  jsonPassword: 'JSONPASSWORDSECRET',
  nestedRefresh: 'NESTEDREFRESHSECRET',
  formSecret: 'FORMCLIENTSECRET',
  formPassword: 'FORMPASSWORDSECRET',
  responseToken: 'RESPONSEACCESSTOKEN',
  responseSession: 'RESPONSESESSIONID',
  cookieArray: 'COOKIEARRAYSECRET',
  base64Body: 'BASE64BODYSECRET',
  jwtInUrl: JWT,
  bearerInBody: 'BEARERINBODYTOKEN1',
};

function seededHar(): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: 'test', version: '1' },
      entries: [
        {
          startedDateTime: '2024-01-01T00:00:01.000Z',
          request: {
            method: 'POST',
            url: `https://mail.example.com/api/messages/send?access_token=${SECRETS.queryToken}&api_key=${SECRETS.queryApiKey}&label=INBOX&jwt_hint=${SECRETS.jwtInUrl}`,
            headers: [
              { name: 'Authorization', value: `Bearer ${SECRETS.authHeader}` },
              { name: 'Proxy-Authorization', value: `Basic ${SECRETS.proxyAuth}` },
              { name: 'Cookie', value: `sid=${SECRETS.cookie}; theme=dark` },
              { name: 'X-API-Key', value: SECRETS.apiKeyHeader },
              { name: 'Content-Type', value: 'application/json' },
            ],
            cookies: [{ name: 'sid', value: SECRETS.cookieArray }],
            queryString: [
              { name: 'access_token', value: SECRETS.queryToken },
              { name: 'label', value: 'INBOX' },
            ],
            postData: {
              mimeType: 'application/json',
              text: JSON.stringify({
                to: ['bob@example.com'],
                subject: 'Lunch',
                body: `note: Bearer ${SECRETS.bearerInBody}`,
                password: SECRETS.jsonPassword,
                meta: { auth: { refresh_token: SECRETS.nestedRefresh }, messageId: 'm-0007' },
              }),
            },
          },
          response: {
            status: 200,
            headers: [
              { name: 'Set-Cookie', value: `session=${SECRETS.setCookie}; HttpOnly` },
              { name: 'content-type', value: 'application/json' },
            ],
            cookies: [{ name: 'session', value: SECRETS.setCookie }],
            content: {
              mimeType: 'application/json',
              text: JSON.stringify({ id: 'm-0042', access_token: SECRETS.responseToken, user: { sessionId: SECRETS.responseSession, name: 'Alice' } }),
            },
          },
        },
        {
          startedDateTime: '2024-01-01T00:00:02.000Z',
          request: {
            method: 'POST',
            url: 'https://auth.example.com/oauth/token',
            headers: [{ name: 'content-type', value: 'application/x-www-form-urlencoded' }],
            postData: {
              mimeType: 'application/x-www-form-urlencoded',
              text: `grant_type=password&username=alice&password=${SECRETS.formPassword}&client_secret=${SECRETS.formSecret}`,
            },
          },
          response: {
            status: 200,
            headers: [],
            content: {
              mimeType: 'application/json',
              encoding: 'base64',
              text: Buffer.from(JSON.stringify({ token: SECRETS.base64Body, scope: 'mail.read' })).toString('base64'),
            },
          },
        },
      ],
    },
  };
}

describe('redact', () => {
  it('leaves no seeded secret anywhere in a redacted HAR', () => {
    const text = JSON.stringify(redactHar(seededHar()));
    const decodedBodies = JSON.stringify(
      redactHar(seededHar()).log.entries.map((e) =>
        e.response.content.encoding === 'base64' ? Buffer.from(e.response.content.text ?? '', 'base64').toString() : '',
      ),
    );
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(text, name).not.toContain(secret);
      expect(decodedBodies, name).not.toContain(secret);
    }
    expect(text).toContain(REDACTED);
  });

  it('keeps the fields that are not secrets', () => {
    const har = redactHar(seededHar());
    const [first, second] = har.log.entries;
    expect(first?.request.url).toContain('label=INBOX');
    expect(first?.request.headers.find((h) => h.name === 'Content-Type')?.value).toBe('application/json');
    const body = JSON.parse(first?.request.postData?.text ?? '{}');
    expect(body).toMatchObject({ to: ['bob@example.com'], subject: 'Lunch', password: REDACTED, meta: { auth: REDACTED, messageId: 'm-0007' } });
    expect(body.body).toBe(`note: Bearer ${REDACTED}`);
    const response = JSON.parse(first?.response.content.text ?? '{}');
    expect(response).toEqual({ id: 'm-0042', access_token: REDACTED, user: { sessionId: REDACTED, name: 'Alice' } });
    expect(second?.request.postData?.text).toBe(`grant_type=password&username=alice&password=${REDACTED}&client_secret=${REDACTED}`);
    const decoded = JSON.parse(Buffer.from(second?.response.content.text ?? '', 'base64').toString());
    expect(decoded).toEqual({ token: REDACTED, scope: 'mail.read' });
  });

  it('gives selectRequests output with no secret and parsed bodies', () => {
    const reqs = selectRequests(seededHar().log.entries, { dropStaticAssets: true, startedAtMs: Date.parse('2024-01-01T00:00:00.000Z') });
    const text = JSON.stringify(reqs);
    for (const [name, secret] of Object.entries(SECRETS)) expect(text, name).not.toContain(secret);
    expect(reqs[0]).toMatchObject({ t: 1000, method: 'POST', status: 200, requestBody: { subject: 'Lunch', to: ['bob@example.com'] } });
    expect(reqs[0]?.requestHeaders?.['authorization']).toBe(REDACTED);
    expect(reqs[1]?.requestBody).toEqual({ grant_type: 'password', username: 'alice', password: REDACTED, client_secret: REDACTED });
    expect(reqs[1]?.responseBody).toEqual({ token: REDACTED, scope: 'mail.read' });
  });

  it('redacts a body whole before cutting it, so a secret split by the cut does not leak', () => {
    const text = `{"note":"${'x'.repeat(65)}","password":"hunter2-very-secret","pad":"${'y'.repeat(400)}"}`;
    const entry: HarEntry = {
      startedDateTime: '2024-01-01T00:00:01.000Z',
      time: 1,
      request: { method: 'POST', url: 'https://x.test/api/login', httpVersion: 'HTTP/1.1', headers: [], postData: { mimeType: 'application/json', text } },
      response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], content: { size: 0, mimeType: 'application/json' } },
    };
    const [req] = selectRequests([entry], { dropStaticAssets: true, startedAtMs: Date.parse('2024-01-01T00:00:00.000Z'), maxBodyChars: 100 });
    expect(typeof req?.requestBody).toBe('string');
    expect(req?.requestBody).toContain(`"password":"${REDACTED}`);
    expect(JSON.stringify(req)).not.toContain('hunter');
  });

  it('masks JWTs and bearer tokens in free text and is idempotent', () => {
    const s = `see https://x.test/cb#id_token=${JWT} and Authorization: Bearer abcdefgh12345678`;
    const once = redactString(s);
    expect(once).not.toContain(JWT);
    expect(once).not.toContain('abcdefgh12345678');
    expect(redactString(once)).toBe(once);
    const req = { id: 'r', t: 0, method: 'GET', url: `https://x.test/?token=${JWT}&q=hello` };
    expect(redactRequest(redactRequest(req))).toEqual(redactRequest(req));
    expect(redactRequest(req).url).toBe(`https://x.test/?token=${REDACTED}&q=hello`);
  });

  it('redact() dispatches on shape', () => {
    const har = seededHar();
    expect(redact(har)).toEqual(redactHar(har));
    const entry = har.log.entries[0]!;
    expect(JSON.stringify(redact(entry))).not.toContain(SECRETS.authHeader);
    expect(redact({ id: 'r', t: 1, method: 'GET', url: 'https://x.test/?api_key=K123456' }).url).toBe(`https://x.test/?api_key=${REDACTED}`);
    expect(redact({ nested: [{ client_secret: 's', keep: 'me' }] })).toEqual({ nested: [{ client_secret: REDACTED, keep: 'me' }] });
    expect(redact(`Bearer ${SECRETS.authHeader}`)).toBe(`Bearer ${REDACTED}`);
  });

  it('judges names by their words', () => {
    for (const n of [
      'Authorization',
      'Cookie',
      'Set-Cookie',
      'X-API-Key',
      'api_key',
      'apikey',
      'apiKey',
      'access_token',
      'refreshToken',
      'client_secret',
      'password',
      'sid',
      'session',
      'sessionid',
      'X-Auth-Token',
      'x-csrf-token',
    ]) {
      expect(isSecretName(n), n).toBe(true);
    }
    for (const n of ['author', 'authorId', 'subject', 'to', 'body', 'message_id', 'label', 'side', 'tokens', 'Content-Type', 'query']) {
      expect(isSecretName(n), n).toBe(false);
    }
  });
});
