import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maxConcurrency } from '../../engine/config/concurrency-cap.ts';
import { maskSecrets } from '../../engine/secrets/index.ts';
import { NormalizeOptions } from '../../stages/normalize/index.ts';
import { loadNetwork } from '../../stages/normalize/network.ts';
import { loadTree } from '../config/test-registry.ts';
import { STARTED_AT_MS, tempDir, writeSession } from '../load/fixture.ts';
import { loadAndNormalize } from '../normalize/run-stages.ts';
import { rejectionOf } from '../helpers/rejection.ts';

const MB = 1 << 20;
const BOUND = { timeout: 5000 };

function harWith(entries: { url: string; body: string; mimeType?: string }[]) {
  return {
    log: {
      version: '1.2',
      creator: { name: 't', version: '1' },
      entries: entries.map((e, i) => ({
        startedDateTime: new Date(STARTED_AT_MS + 10 + i).toISOString(),
        request: { method: 'POST', url: e.url, headers: [], postData: { mimeType: e.mimeType ?? 'text/plain', text: e.body } },
        response: { status: 200, headers: [], content: { mimeType: 'text/plain', text: e.body } },
      })),
    },
  };
}

describe('hostile inputs: redaction is linear', () => {
  it('a session whose request and response bodies are 1 MB of base64url normalizes in well under a second', BOUND, async () => {
    const body = randomBytes((3 * MB) / 4).toString('base64url');
    const dir = writeSession(tempDir(), 's', { events: [{ t: 1, type: 'click', x: 1, y: 1 }], har: harWith([{ url: 'https://x.test/api/upload', body }]) });
    const started = performance.now();
    const { timeline } = await loadAndNormalize(dir, { screenshots: { enabled: false } });
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(750);
    expect(timeline.steps[0]?.network).toHaveLength(1);
  });

  // Texts built to make a backtracking pattern re-read what it read (each 1 MB).
  const adversarial: Record<string, string> = {
    'a run of name characters with no "="': 'a'.repeat(MB),
    '"a=" repeated': 'a='.repeat(MB / 2),
    '"key=" repeated (a key-like name, never a key)': 'key='.repeat(MB / 4),
    'quoted names that open and never close': '"password":"'.repeat(MB / 12),
    'JWT starts with no dots': '-eyJaaaaaa'.repeat(MB / 10),
    'JWT starts with one dot each': 'eyJaaaaaa.'.repeat(MB / 10),
    'URL scheme and user, no password': 'a://b:'.repeat(MB / 6),
    'auth scheme words with nothing after': 'bearer '.repeat(MB / 7),
    'PEM headers with no footer': '-----BEGIN RSA PRIVATE KEY-----'.repeat(MB / 31),
    'token prefixes with short bodies': ' sk-abc ghp_x AKIA2 '.repeat(MB / 20),
    'a quoted name then a megabyte of spaces': `"a"${' '.repeat(MB)}`,
    'the longest token prefix with bodies one short': `+ops_eyJ${'a'.repeat(249)}`.repeat(MB / 257),
    'hex-bodied token prefixes one short': `-SK${'a'.repeat(31)}`.repeat(MB / 34),
  };
  for (const [name, text] of Object.entries(adversarial)) {
    it(`masks 1 MB of ${name} in linear time (well under the seconds a backtracking pattern takes)`, BOUND, () => {
      const started = performance.now();
      maskSecrets(text);
      expect(performance.now() - started).toBeLessThan(1500);
    });
  }
});

describe('hostile inputs: long work yields to cancellation', () => {
  it('loadNetwork stops with TP_ABORTED soon after the signal is aborted', BOUND, async () => {
    const entries = Array.from({ length: 4000 }, (_, i) => ({
      url: `https://x.test/api/item/${i}?access_token=t${i}`,
      body: `{"password":"p${i}","n":${i}}`,
      mimeType: 'application/json',
    }));
    const dir = writeSession(tempDir(), 's', { har: harWith(entries) });
    const opts = NormalizeOptions.parse({}).network;
    const all = await loadNetwork(dir, opts, STARTED_AT_MS);
    expect(all).toHaveLength(4000);
    const ac = new AbortController();
    const pending = loadNetwork(dir, opts, STARTED_AT_MS, ac.signal);
    setImmediate(() => ac.abort());
    const started = performance.now();
    await rejectionOf(pending, 'TP_ABORTED');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('hostile inputs: concurrency is capped by memory', () => {
  it('is half the memory at 64 MiB per item, at least one', () => {
    expect(maxConcurrency(16 * 1024 * MB)).toBe(128);
    expect(maxConcurrency(2 * 1024 * MB)).toBe(16);
    expect(maxConcurrency(0)).toBe(1);
  });

  it('an unbounded concurrency resolves to the cap, top level and per stage', () => {
    const { result } = loadTree({
      'pipeline.yaml': `name: p
sessions: {path: sessions/*}
concurrency: 1000000000
stages:
  load: {uses: load, concurrency: 1000000000}
`,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pipeline.concurrency).toBe(maxConcurrency());
    expect(result.pipeline.stages[0]?.concurrency).toBe(maxConcurrency());
    expect(maxConcurrency()).toBeLessThan(1_000_000_000);
  });
});

describe('hostile inputs: deep JSON in recorded traffic', () => {
  it('a body nested 100,000 deep is kept as cut text, not an overflow later', BOUND, async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const dir = writeSession(tempDir(), 's', {
      events: [{ t: 1, type: 'click', x: 1, y: 1 }],
      har: harWith([{ url: 'https://x.test/api/deep', body: deep, mimeType: 'application/json' }]),
    });
    const { timeline } = await loadAndNormalize(dir, { screenshots: { enabled: false } });
    const req = timeline.steps[0]?.network[0];
    expect(typeof req?.requestBody).toBe('string');
    expect(String(req?.requestBody)).toMatch(/^\[+…\[truncated \d+ chars\]$/);
    expect(JSON.stringify(timeline).length).toBeLessThan(200_000);
  });
});
