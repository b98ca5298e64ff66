import { describe, expect, it } from 'vitest';
import { chunkSteps } from '../../stages/classify/index.ts';
import { backoffMs } from '../../stages/classify/openai/backoff.ts';
import { parseRetryAfter } from '../../stages/classify/openai/failures.ts';
import { rateOptions } from '../../stages/classify/openai/queue.ts';
import { step, timeline } from './helpers.ts';

describe('retry timing', () => {
  const now = Date.parse('2026-11-22T03:00:00Z');
  it('reads retry-after-ms, Retry-After seconds, and Retry-After as an HTTP date', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 22 Nov 2026 03:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 22 Nov 2026 02:59:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });

  it('full-jitter backoff stays under min(cap, base * 2^attempt)', () => {
    expect(backoffMs(0, 500, 30_000, () => 0.999)).toBe(499);
    expect(backoffMs(3, 500, 30_000, () => 0.5)).toBe(2000);
    expect(backoffMs(10, 500, 30_000, () => 0.999)).toBe(29_970);
    expect(backoffMs(2, 500, 30_000, () => 0)).toBe(0);
  });

  it('spreads requestsPerMinute over fifths of a second with 3% headroom', () => {
    expect(rateOptions(undefined)).toEqual({});
    expect(rateOptions(1200)).toEqual({ intervalCap: 4, interval: 206, strict: true });
    expect(rateOptions(120)).toEqual({ intervalCap: 1, interval: 515, strict: true });
    expect(rateOptions(30)).toEqual({ intervalCap: 1, interval: 2060, strict: true });
  });
});

describe('chunkSteps', () => {
  const steps = timeline(Array.from({ length: 25 }, () => step('click'))).steps;
  it('cuts overlapping windows that cover every step', () => {
    const chunks = chunkSteps(steps, 10, 3);
    expect(chunks.map((c) => [c[0]!.id, c.at(-1)!.id])).toEqual([
      [1, 10],
      [8, 17],
      [15, 24],
      [22, 25],
    ]);
    expect(chunkSteps(steps, 60, 10)).toHaveLength(1);
  });
});
