import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport } from '../../domain/compare/types.ts';
import { cli } from '../helpers/cli.ts';
import { copyPrebuilt } from '../helpers/prebuilt.ts';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.ts';

/**
 * pipelines/gmail.yaml with all its variants (rules, small, large), the LLM ones pointed at a
 * local OpenAI-compatible server, over a copy of the finished rules run: the variants share
 * load and normalize (no variant computes them again), each LLM call is paid once, and the
 * run ends with a comparison of each LLM variant against the rules one.
 */
interface RunEvent {
  type: string;
  stage?: string;
  cacheHit?: boolean;
  runId?: string;
  variant?: string | null;
}

const events = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{"type"'))
    .map((l) => JSON.parse(l) as RunEvent);

/** The comparison reports printed after the event lines (each pretty-printed JSON). */
const comparisons = (out: string): CompareReport[] => {
  const text = out
    .split('\n')
    .filter((l) => !l.startsWith('{"type"'))
    .join('\n')
    .trim();
  return text.split(/\n(?=\{\n)/).map((doc) => JSON.parse(doc) as CompareReport);
};

// The file's rate limits are for the real endpoint; the local server takes anything.
const FAST = ['--set', 'models.small.requestsPerMinute=100000', '--set', 'models.large.requestsPerMinute=100000'];

describe('gmail.yaml --variant all', () => {
  let server: FakeOpenAIServer;
  let dir: string;
  const env = () => ({ OPENROUTER_API_KEY: 'test-key', OPENROUTER_BASE_URL: server.url, PATH: process.env.PATH });

  beforeAll(async () => {
    // The small model finds nothing; the large one calls everything a search: two clearly different variants.
    server = await startFakeOpenAI({
      handler: (req) =>
        String(req.body?.model).includes('mini')
          ? { json: { spans: [] } }
          : {
              json: {
                spans: [{ action: 'search_emails', startStep: 1, endStep: 1, parameters: { query: 'anything' }, confidence: 0.9, evidence: ['step 1'] }],
              },
            },
    });
    process.env.OPENROUTER_API_KEY = 'test-key';
    dir = await copyPrebuilt('gmail', 'tp-variants-');
  });
  afterAll(async () => {
    await server.close();
    delete process.env.OPENROUTER_API_KEY;
  });

  it('computes load and normalize for no variant, pays each model call once, and ends with comparisons', async () => {
    const sessions = readdirSync(join(dir, 'fixtures/sessions')).length;
    // with load and normalize cached, plan says what the LLM variant would send, before anything is paid
    const plan = await cli(['plan', 'pipelines/gmail.yaml', '--variant', 'small'], { cwd: dir, env: env(), builtin: true });
    expect(plan.out).toMatch(new RegExp(`estimate classify: llm.calls ${sessions}, llm.inputTokens ~\\d+, llm.inputCostUsd ~0\\.\\d+`));
    expect(server.requests).toHaveLength(0);
    const r = await cli(['exec', 'pipelines/gmail.yaml', '--variant', 'all', '--json', ...FAST], { cwd: dir, env: env(), builtin: true });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const ev = events(r.out);
    const starts = ev.filter((e) => e.type === 'run:start');
    expect(starts.map((e) => e.variant)).toEqual([null, 'small', 'large']);
    const done = (stage: string, cacheHit: boolean) => ev.filter((e) => e.type === 'item:done' && e.stage === stage && e.cacheHit === cacheHit).length;
    // every variant reads load and normalize from the cache the rules run filled
    expect([done('load', false), done('load', true)]).toEqual([0, 3 * sessions]);
    expect([done('normalize', false), done('normalize', true)]).toEqual([0, 3 * sessions]);
    // rules are cached; small and large classify every session once
    expect([done('classify', false), done('classify', true)]).toEqual([2 * sessions, sessions]);
    expect(server.requests).toHaveLength(2 * sessions);

    // one comparison per LLM variant against the first (rules) run, after the event lines
    const reports = comparisons(r.out);
    const [rules, small, large] = starts.map((e) => e.runId!);
    expect(reports.map((c) => [c.a.runId, c.a.variant, c.b.runId, c.b.variant])).toEqual([
      [rules, null, small, 'small'],
      [rules, null, large, 'large'],
    ]);
    for (const c of reports) {
      expect([c.sharedSessions, c.onlyInA, c.onlyInB]).toEqual([sessions, [], []]);
      // rules score every labeled call of the fixtures and cost nothing
      expect(c.a).toMatchObject({
        labeledSessions: sessions,
        overall: { tp: 47, fp: 0, fn: 0, f1: 1 },
        statuses: { COMPLETED: sessions },
        usage: { calls: 0, tokens: 0, costUsd: 0 },
      });
      expect(c.b.usage.calls).toBe(sessions);
      // the scripted server's usage at each model's configured price (large costs 5x small per token)
      expect(c.b.usage.tokens).toBe(4560);
      expect(c.b.usage.costUsd).toBeCloseTo(c.b.variant === 'small' ? 0.002736 : 0.01368, 9);
      expect(c.disagreements).toHaveLength(sessions);
    }
    // the small model calls nothing: every example fails, every rules call is missing from it
    expect(reports[0]!.b).toMatchObject({ overall: { tp: 0, fp: 0, fn: 47, f1: 0 }, statuses: { FAILED: sessions } });
    expect(reports[0]!.disagreements.flatMap((d) => d.diff.map((l) => l.op))).toEqual(Array(47).fill('-'));
    // the large one calls one search everywhere, which matches the 8 labeled searches' action only
    expect(reports[1]!.b).toMatchObject({ overall: { tp: 8, fp: 30, fn: 39 }, statuses: { COMPLETED: sessions } });
    for (const d of reports[1]!.disagreements)
      expect(d.diff.filter((l) => l.op !== '-')).toEqual([{ op: '+', call: 'gmail_search_messages {"max_results":25,"q":"in:inbox anything"}' }]);

    const again = await cli(['exec', 'pipelines/gmail.yaml', '--variant', 'all', ...FAST], { cwd: dir, env: env(), builtin: true });
    expect(again.code).toBe(0);
    expect(server.requests).toHaveLength(2 * sessions);
    expect(again.out).toMatch(/F1|f1/);
  }, 120_000);
});
