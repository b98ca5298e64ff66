import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../helpers/cli.ts';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.ts';

/**
 * pipelines/gmail.yaml with all its variants (rules, small, large), the LLM ones
 * pointed at a local OpenAI-compatible server: the variants share load and
 * normalize, each LLM call is paid once, and the run ends with a comparison.
 */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-variants-'));
  for (const d of ['pipelines', 'prompts', 'fixtures/sessions']) cpSync(join(repoRoot, d), join(dir, d), { recursive: true });
  return dir;
}

const events = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{"type"'))
    .map((l) => JSON.parse(l) as { type: string; stage?: string; cacheHit?: boolean; runId?: string });

// The file's rate limits are for the real endpoint; the local server takes anything.
const FAST = ['--set', 'models.small.requestsPerMinute=100000', '--set', 'models.large.requestsPerMinute=100000'];

describe('gmail.yaml --variant all', () => {
  let server: FakeOpenAIServer;
  let dir: string;
  const env = () => ({ OPENROUTER_API_KEY: 'test-key', OPENROUTER_BASE_URL: server.url, PATH: process.env.PATH });

  beforeAll(async () => {
    // The small model finds nothing; the large one calls everything a search: two clearly different variants.
    server = await startFakeOpenAI({
      handler: (req) => (String(req.body?.model).includes('mini') ? { json: { spans: [] } } : { json: { spans: [{ action: 'search_emails', startStep: 1, endStep: 1, parameters: { query: 'anything' }, confidence: 0.9, evidence: ['step 1'] }] } }),
    });
    process.env.OPENROUTER_API_KEY = 'test-key';
    dir = workspace();
  });
  afterAll(async () => {
    await server.close();
    delete process.env.OPENROUTER_API_KEY;
  });

  it('runs load and normalize once for three variants, pays each model call once, and ends with comparisons', async () => {
    const sessions = readdirSync(join(dir, 'fixtures/sessions')).length;
    // with load and normalize cached, plan says what the LLM variant would send, before anything is paid
    const base = await cli(['exec', 'pipelines/gmail.yaml', '--json'], { cwd: dir, env: env(), builtin: true });
    expect(base.code).toBe(0);
    const plan = await cli(['plan', 'pipelines/gmail.yaml', '--variant', 'small'], { cwd: dir, env: env(), builtin: true });
    expect(plan.out).toMatch(new RegExp(`estimate classify: llm.calls ${sessions}, llm.inputTokens ~\\d+, llm.inputCostUsd ~0\\.\\d+`));
    expect(server.requests).toHaveLength(0);
    const r = await cli(['exec', 'pipelines/gmail.yaml', '--variant', 'all', '--json', ...FAST], { cwd: dir, env: env(), builtin: true });
    expect(r.err).toBe('');
    const ev = [...events(base.out), ...events(r.out)];
    const ran = (stage: string) => ev.filter((e) => e.type === 'item:done' && e.stage === stage && !e.cacheHit).length;
    expect(ev.filter((e) => e.type === 'run:start')).toHaveLength(4);
    expect(ran('load')).toBe(sessions);
    expect(ran('normalize')).toBe(sessions);
    // rules once (the base run; the base inside --variant all is all cache hits), small and large once each
    expect(ran('classify')).toBe(3 * sessions);
    expect(server.requests).toHaveLength(2 * sessions);
    // the comparison reports follow the event lines
    const reports = r.out
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('{"type"'))
      .join('\n');
    expect(reports).toContain('"runId"');

    const again = await cli(['exec', 'pipelines/gmail.yaml', '--variant', 'all', ...FAST], { cwd: dir, env: env(), builtin: true });
    expect(again.code).toBe(0);
    expect(server.requests).toHaveLength(2 * sessions);
    expect(again.out).toMatch(/F1|f1/);
  }, 120_000);
});
