import { afterEach, describe, expect, it } from 'vitest';
import { LLM_METRIC, usageFromMetrics } from '../../domain/session/llm-metrics.ts';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/index.ts';
import { classifyContext, openaiModel, runClassify, sendAndArchive } from './helpers.ts';
import { codeSpelling } from '../helpers/source-files.ts';

/** Model metric names are written once (domain/session/llm-metrics.ts): classify records under them, and every reader reads them back. */

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
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
    expect(codeSpelling(/['"`]llm\.[A-Za-z.]+/, { except: ['domain/session/llm-metrics.ts'], ext: /\.(ts|js|html|hbs)$/ })).toEqual([]);
  });
});
