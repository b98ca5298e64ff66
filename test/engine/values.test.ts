import { describe, expect, it } from 'vitest';
import { diffValues, formatValue, redactSecrets } from '../../engine/values.ts';

describe('values', () => {
  it('redacts secret-looking keys and URL passwords, keeps the names of key variables', () => {
    const config = {
      models: {
        m: { apiKey: 'sk-live-123', apiKeyEnv: 'OPENAI_API_KEY', baseURL: 'https://bob:hunter2@llm.example/v1', headers: [{ Authorization: 'Bearer x' }] },
      },
      note: 'password is not a key here',
    };
    expect(redactSecrets(config)).toEqual({
      models: {
        m: { apiKey: '[REDACTED]', apiKeyEnv: 'OPENAI_API_KEY', baseURL: 'https://bob:[REDACTED]@llm.example/v1', headers: [{ Authorization: '[REDACTED]' }] },
      },
      note: 'password is not a key here',
    });
  });

  it('knows secret keys by their words and secret values by their shape; numbers and variable names stay', () => {
    expect(
      redactSecrets({
        maxTokens: 4096,
        authToken: 12345,
        client_secret: 'x',
        'X-Cookie': 'c',
        privateKeyPem: 'k',
        token: '',
        tokenEnv: 'TOKEN',
        extra: { key: 'sk-abc123', jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', plain: 'skip-me' },
      }),
    ).toEqual({
      maxTokens: 4096,
      authToken: '[REDACTED]',
      client_secret: '[REDACTED]',
      'X-Cookie': '[REDACTED]',
      privateKeyPem: '[REDACTED]',
      token: '',
      tokenEnv: 'TOKEN',
      extra: { key: '[REDACTED]', jwt: '[REDACTED]', plain: 'skip-me' },
    });
  });

  it('diffs JSON values by dotted path and formats them for people', () => {
    expect(diffValues({ a: { b: 1, c: [1] }, d: 'x' }, { a: { b: 2, c: [1] }, e: true })).toEqual([
      { path: 'a.b', before: 1, after: 2 },
      { path: 'd', before: 'x', after: undefined },
      { path: 'e', before: undefined, after: true },
    ]);
    expect([formatValue(undefined), formatValue(''), formatValue('a b'), formatValue('ab'), formatValue(0.2)]).toEqual(['(unset)', '""', '"a b"', 'ab', '0.2']);
  });
});

describe('redactSecrets keeps settings a resume needs', () => {
  it('a number under a "session" name is a setting, not a credential; a session id string is still masked', () => {
    expect(redactSecrets({ screenshots: { maxPerSession: 12 }, sessionToken: 'a8Fq2LmZ9xT4kPq7Wn3R' })).toEqual({
      screenshots: { maxPerSession: 12 },
      sessionToken: '[REDACTED]',
    });
  });
});
