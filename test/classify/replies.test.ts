import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.ts';
import { API_KEY_ENV, classifyContext, failure, openaiModel, runClassify, sendAndArchive } from './helpers.ts';

// How the provider treats what an endpoint answers: which errors are retried, and which replies are their own failure kinds.

const spans = { spans: [{ action: 'read_email', startStep: 6, endStep: 6, confidence: 0.8, evidence: ['step 6'], parameters: { message_id: 'm-0007' } }] };

let server: FakeOpenAIServer;
afterEach(async () => server?.close());

const run = (over: Record<string, unknown> = {}) => runClassify(classifyContext({ model: openaiModel(server.url, over), timeline: sendAndArchive() }));

describe('retries follow the server', () => {
  it('x-should-retry: false makes a 500 permanent (one request)', async () => {
    server = await startFakeOpenAI({ handler: () => ({ status: 500, headers: { 'x-should-retry': 'false' } }) });
    const err = await failure(run());
    expect(err.details).toEqual({ kind: 'permanent', status: 500 });
    expect(server.requests).toHaveLength(1);
  });

  it('x-should-retry: true makes a 400 transient (retried until it succeeds)', async () => {
    server = await startFakeOpenAI({ replies: [{ status: 400, headers: { 'x-should-retry': 'true', 'retry-after-ms': '10' } }, { json: spans }] });
    const out = await run();
    expect(out.spans).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('a 429 insufficient_quota is permanent: one request, a quota failure, a billing hint', async () => {
    const quota = {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    };
    server = await startFakeOpenAI({ handler: () => ({ status: 429, headers: { 'retry-after': '1' }, body: quota }) });
    const err = await failure(run({ maxRetries: 3 }));
    expect(err.details).toEqual({ kind: 'quota', status: 429 });
    expect(err.message).toBe(
      `model "fake-model" at ${server.url} refused the request: the account's quota is used up (HTTP 429 You exceeded your current quota, please check your plan and billing details.)`,
    );
    expect(err.hint).toContain(API_KEY_ENV);
    expect(server.requests).toHaveLength(1);
  });
});

describe('replies that are their own failure kinds, not repair fodder', () => {
  it('finish_reason length: a truncated failure after one request, keeping the raw reply', async () => {
    server = await startFakeOpenAI({
      handler: () => ({ content: '{"spans": [{"action": "read_em', finishReason: 'length', usage: { prompt_tokens: 900, completion_tokens: 2000 } }),
    });
    const ctx = classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() });
    const err = await failure(runClassify(ctx));
    expect(err.message).toBe('model "fake-model" was cut off at maxTokens (2000) while classifying steps 1-7');
    expect(err.details).toEqual({ kind: 'truncated', maxTokens: 2000, completionTokens: 2000, rawReply: '{"spans": [{"action": "read_em' });
    expect(server.requests).toHaveLength(1);
    expect(ctx.events.some((e) => e.type === 'llm.repair')).toBe(false);
    // the paid reply is memoized: a resume does not pay for it again
    expect(ctx.metricTotals['llm.calls']).toBe(1);
  });

  it('a refusal: a refused failure with the model’s words, after one request', async () => {
    server = await startFakeOpenAI({ handler: () => ({ refusal: "I'm sorry, I can't help with that." }) });
    const err = await failure(run());
    expect(err.message).toBe(`model "fake-model" refused to classify steps 1-7: I'm sorry, I can't help with that.`);
    expect(err.details).toEqual({ kind: 'refused', refusal: "I'm sorry, I can't help with that.", finishReason: 'stop' });
    expect(server.requests).toHaveLength(1);
  });

  it('a content filter stop is a refusal too', async () => {
    server = await startFakeOpenAI({ handler: () => ({ content: '', finishReason: 'content_filter' }) });
    const err = await failure(run());
    expect(err.details).toEqual({ kind: 'refused', finishReason: 'content_filter' });
    expect(server.requests).toHaveLength(1);
  });

  it('a reply with no usable spans is still repaired once (kind unusable when the repair fails too)', async () => {
    server = await startFakeOpenAI({ handler: () => ({ content: 'not json' }) });
    const err = await failure(run());
    expect(err.details.kind).toBe('unusable');
    expect(server.requests).toHaveLength(2);
  });

  it('without a reported cost or a price, the call counts as unpriced', async () => {
    server = await startFakeOpenAI({ replies: [{ json: spans }] });
    const ctx = classifyContext({ model: { ...openaiModel(server.url), price: undefined }, timeline: sendAndArchive() });
    const out = await runClassify(ctx);
    expect([out.usage.costUsd, ctx.metricTotals['llm.unpricedCalls']]).toEqual([0, 1]);
  });
});
