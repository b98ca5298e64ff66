import { describe, expect, it } from 'vitest';
import { isCredentialValue, maskSecrets, REDACTED, TOKEN_RULES } from '../../engine/secrets/index.ts';
import { redactSecrets } from '../../engine/values.ts';
import { redactHar } from '../../domain/network/index.ts';
import { tempDir } from '../load/fixture.ts';
import { loadAndNormalize } from '../normalize/run-stages.ts';
import { NEEDLES, PEM_PRIVATE_KEY, SHAPES } from './secret-shapes.ts';
import { writeSecretsSession } from './secrets-session.ts';

/** A token of `rule`'s shape: its prefix's first spelling and a varied body of the rule's characters. */
function sampleOf(rule: (typeof TOKEN_RULES)[number]): string {
  const prefix = rule.prefix
    .replace(/\\\./g, '.')
    .replace(/\(\?:([^|)]+)(\|[^)]*)?\)/g, '$1')
    .replace(/\[([^\]])[^\]]*\]/g, '$1');
  const chars = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'].filter((c) => new RegExp(rule.body).test(c));
  return prefix + Array.from({ length: rule.min + 4 }, (_, i) => chars[(i * 7 + 3) % chars.length]).join('');
}

describe('hostile inputs: secret shapes', () => {
  it('masks a token of every rule in free text and keeps the words around it', { timeout: 5000 }, () => {
    for (const rule of TOKEN_RULES) {
      const token = sampleOf(rule);
      const masked = maskSecrets(`before ${token} after`);
      expect(masked, `${rule.id}: ${token}`).toBe(`before ${REDACTED} after`);
      expect(isCredentialValue(token), rule.id).toBe(true);
    }
  });

  it('masks each shape that used to leak, where a recording carries it', { timeout: 5000 }, () => {
    expect(maskSecrets(`authorization: bearer ${SHAPES.lowercaseBearerInText}`)).toBe(`authorization: ${REDACTED}`);
    expect(maskSecrets(`user=alice&pass=${SHAPES.passFormField}&pin=${SHAPES.pinFormField}`)).toBe(`user=alice&pass=${REDACTED}&pin=${REDACTED}`);
    expect(maskSecrets(`{"note": "key ${SHAPES.skProjKeyInJson}", "id":"${SHAPES.akiaInJson}"}`)).toBe(`{"note": "key ${REDACTED}", "id":"${REDACTED}"}`);
    expect(maskSecrets(`token ${SHAPES.ghpToken}.`)).toBe(`token ${REDACTED}.`);
    const pem = maskSecrets(`key:\n${PEM_PRIVATE_KEY}done`);
    expect(pem).toBe(`key:\n-----BEGIN RSA PRIVATE KEY-----${REDACTED}-----END RSA PRIVATE KEY-----\ndone`);
    // a key cut short (no footer) is masked to the end
    expect(maskSecrets(PEM_PRIVATE_KEY.slice(0, 120))).toBe(`-----BEGIN RSA PRIVATE KEY-----${REDACTED}`);
    expect(maskSecrets(`X-OpenAI-Key: ${SHAPES.openaiKeyHeader}`)).toBe(`X-OpenAI-Key: ${REDACTED}`);
  });

  it('keeps what is no secret: key-named words, CORS headers, prose about tokens', () => {
    const text = 'sortKey=date&api=v2&primaryKey: id, the token expires, Basic information, sk-learn';
    expect(maskSecrets(text)).toBe(text);
    const har = redactHar({
      log: {
        version: '1.2',
        creator: { name: 't', version: '1' },
        entries: [
          {
            startedDateTime: '2026-01-01T00:00:00.000Z',
            request: {
              method: 'GET',
              url: 'https://x.test/?sortKey=date',
              headers: [
                { name: 'Access-Control-Allow-Origin', value: '*' },
                { name: 'X-OpenAI-Key', value: 'short' },
              ],
            },
            response: { status: 200, headers: [], content: { mimeType: 'application/json', text: '{"sortKey":"date","apiVersion":"2024-06-01"}' } },
          },
        ],
      },
    });
    const [e] = har.log.entries;
    expect(e?.request.url).toBe('https://x.test/?sortKey=date');
    expect(e?.request.headers).toEqual([
      { name: 'Access-Control-Allow-Origin', value: '*' },
      { name: 'X-OpenAI-Key', value: REDACTED },
    ]);
    expect(JSON.parse(e?.response.content.text ?? '')).toEqual({ sortKey: 'date', apiVersion: '2024-06-01' });
  });

  it('config redaction uses the same rules: a token-shaped value is masked under any key', () => {
    expect(
      redactSecrets({ extraBody: { note: SHAPES.ghpToken }, headers: { 'X-OpenAI-Key': SHAPES.openaiKeyHeader }, baseURL: 'https://llm.test/v1' }),
    ).toEqual({
      extraBody: { note: REDACTED },
      headers: { 'X-OpenAI-Key': REDACTED },
      baseURL: 'https://llm.test/v1',
    });
  });

  it('load + normalize of a session carrying every shape keeps none of them and still shows the work', { timeout: 10_000 }, async () => {
    const dir = await writeSecretsSession(tempDir());
    const { loaded, timeline } = await loadAndNormalize(dir);
    const text = JSON.stringify({ loaded, timeline });
    for (const [name, needle] of NEEDLES) expect(text.includes(needle), name).toBe(false);
    const passcode = timeline.steps.find((s) => s.kind === 'type' && s.target?.field === 'passcode');
    expect(passcode?.text).toBe(REDACTED);
    expect(text).toContain('sam@example.com');
    expect(text).toContain('summarize my inbox');
  });
});
