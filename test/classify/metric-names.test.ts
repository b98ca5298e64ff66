import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LLM_METRIC, usageFromMetrics } from '../../domain/session/llm-metrics.ts';
import { repoRoot } from '../helpers/cli.ts';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/index.ts';
import { API_KEY_ENV, classifyContext, openaiModel, runClassify, sendAndArchive } from './helpers.ts';

/** Model metric names are written once (domain/session/llm-metrics.ts): classify records under them, and every reader reads them back. */

let server: FakeOpenAIServer | undefined;
beforeAll(() => {
  process.env[API_KEY_ENV] = 'sk-test-123';
});
afterEach(async () => {
  await server?.close();
});
afterAll(() => {
  delete process.env[API_KEY_ENV];
});

describe('model metric names', () => {
  it('what classify records is what the run summary, API, report and compare read as usage', async () => {
    const spans = {
      spans: [
        {
          action: 'send_email',
          startStep: 1,
          endStep: 5,
          confidence: 0.9,
          evidence: ['step 5'],
          parameters: { to: ['bob@example.com'], cc: null, subject: 'Hello', body: 'Hi' },
        },
      ],
    };
    server = await startFakeOpenAI({ replies: [{ json: spans, usage: { prompt_tokens: 1200, completion_tokens: 150 } }] });
    const ctx = classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() });
    const out = await runClassify(ctx);
    expect(out.usage.calls).toBe(1);
    expect(usageFromMetrics(ctx.metricTotals)).toEqual(out.usage);
    const names: string[] = Object.values(LLM_METRIC);
    expect(Object.keys(ctx.metricTotals).filter((k) => !names.includes(k))).toEqual([]);
  });

  it('no source file outside domain/session/llm-metrics.ts spells a name itself', () => {
    const spelled: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
        const rel = `${dir}/${e.name}`;
        if (e.isDirectory()) walk(rel);
        else if (/\.(ts|js|html|hbs)$/.test(e.name) && rel !== 'domain/session/llm-metrics.ts') {
          // Comments may name a metric; code may not.
          const code = readFileSync(join(repoRoot, rel), 'utf8')
            .split('\n')
            .filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l));
          for (const m of code.join('\n').matchAll(/['"`]llm\.[A-Za-z.]+/g)) spelled.push(`${rel}: ${m[0]}`);
        }
      }
    };
    for (const dir of ['engine', 'domain', 'stages', 'app', 'cli', 'web']) walk(dir);
    expect(spelled).toEqual([]);
  });
});
