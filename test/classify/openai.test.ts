import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyStage } from '../../stages/classify/index.ts';
import { memoryMemo } from '../helpers/stage-context.ts';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/index.ts';
import { API_KEY_ENV, classifyContext, failure, openaiModel, runClassify, sendAndArchive, step, TEST_API_KEY, timeline } from './helpers.ts';

const goodSpans = {
  spans: [
    {
      action: 'send_email',
      startStep: 1,
      endStep: 5,
      confidence: 0.93,
      evidence: ['step 5: POST /api/messages/send'],
      parameters: { to: ['bob@example.com'], cc: null, subject: 'Hello', body: 'Hi Bob, lunch at noon?' },
    },
    {
      action: 'modify_labels',
      startStep: 6,
      endStep: 7,
      confidence: 0.9,
      evidence: ['step 7: archive'],
      parameters: { message_id: 'm-0007', add_labels: [], remove_labels: ['INBOX'] },
    },
  ],
};

let server: FakeOpenAIServer;
afterEach(async () => {
  await server?.close();
});

describe('classify with the openai provider, through the real SDK and a local Chat Completions server', () => {
  it('returns the model spans, strict structured output built from the suite, and records usage and cost', async () => {
    server = await startFakeOpenAI({ replies: [{ json: goodSpans, usage: { prompt_tokens: 1200, completion_tokens: 150 } }] });
    const ctx = classifyContext({ model: openaiModel(server.url, { extraBody: { top_k: 5 } }), timeline: sendAndArchive() });
    const out = await runClassify(ctx);

    expect(out.provider).toBe('openai');
    expect(out.modelId).toBe('fake-model');
    expect(out.spans.map((s) => [s.action, s.startStep, s.endStep])).toEqual([
      ['send_email', 1, 5],
      ['modify_labels', 6, 7],
    ]);
    // the null strict mode forces for optional `cc` is dropped
    expect(out.spans[0]!.parameters).toEqual({ to: ['bob@example.com'], subject: 'Hello', body: 'Hi Bob, lunch at noon?' });
    expect(out.usage).toMatchObject({ calls: 1, promptTokens: 1200, completionTokens: 150 });
    expect(out.usage.costUsd).toBeCloseTo((1200 * 1 + 150 * 2) / 1e6, 12);
    expect(ctx.metricTotals).toMatchObject({ 'llm.calls': 1, 'llm.promptTokens': 1200, 'llm.completionTokens': 150 });

    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(req.body).toMatchObject({ model: 'fake-model', temperature: 0, seed: 7, max_tokens: 2000, top_k: 5 });
    const format = req.body.response_format;
    expect(format).toMatchObject({ type: 'json_schema', json_schema: { name: 'spans', strict: true } });
    const branches = format.json_schema.schema.properties.spans.items.anyOf;
    // one object per action, its first property `action` fixed to that action: no action can carry another's parameters
    expect(branches.map((b: any) => Object.keys(b.properties)[0])).toEqual(Array(8).fill('action'));
    expect(branches.map((b: any) => b.properties.action.enum)).toEqual([
      ['send_email'],
      ['create_draft'],
      ['reply_email'],
      ['forward_email'],
      ['search_emails'],
      ['read_email'],
      ['modify_labels'],
      ['delete_email'],
    ]);
    for (const b of branches)
      expect([b.additionalProperties, b.required]).toEqual([false, ['action', 'startStep', 'endStep', 'confidence', 'evidence', 'parameters']]);
    const sendParams = branches[0].properties.parameters;
    expect(sendParams.required).toEqual(['to', 'cc', 'subject', 'body']);
    expect(sendParams.properties.cc.type).toEqual(['array', 'null']);
    expect(sendParams.additionalProperties).toBe(false);
    expect(branches[6].properties.parameters.required).toEqual(['message_id', 'add_labels', 'remove_labels']);

    const [system, user] = req.body.messages;
    expect(system.role).toBe('system');
    expect(system.content).toContain('- send_email: Compose a new message and send it.');
    expect(user.content).toContain('```trace-data');
    expect(user.content).toContain('5. click target={"role":"button","name":"Send"}');
    expect(user.content).toContain('request "POST" "http://127.0.0.1:5173/api/messages/send" status=200');
  });

  it('sends keyframes as low-detail data-URL image parts, capped by maxImages', async () => {
    server = await startFakeOpenAI({ replies: [{ json: { spans: [] } }] });
    const t = sendAndArchive();
    const ctx = classifyContext({ model: openaiModel(server.url), timeline: t, options: { maxImages: 2 } });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const hash = ctx.artifacts.put(png, 'image/png');
    for (const s of t.steps) s.keyframe = { artifact: hash, mediaType: 'image/png', t: s.t0 - 10, width: 640, height: 400 };
    await runClassify(ctx);
    const parts = server.requests[0]!.body.messages[1].content;
    const images = parts.filter((p: any) => p.type === 'image_url');
    expect(images).toHaveLength(2);
    expect(images[0].image_url).toEqual({ url: `data:image/png;base64,${Buffer.from(png).toString('base64')}`, detail: 'low' });
  });

  it('repairs invalid parameters with one turn that quotes the validation errors', async () => {
    const bad = { spans: [{ ...goodSpans.spans[0], parameters: { to: 'bob@example.com', cc: null, subject: 'Hello', body: 'x' } }] };
    server = await startFakeOpenAI({ replies: [{ json: bad }, { json: goodSpans }] });
    const ctx = classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() });
    const out = await runClassify(ctx);
    expect(out.spans).toHaveLength(2);
    expect(out.usage.calls).toBe(2);
    expect(server.requests).toHaveLength(2);
    const repair = server.requests[1]!.body.messages;
    expect(repair).toHaveLength(4);
    expect(repair[2]).toEqual({ role: 'assistant', content: JSON.stringify(bad) });
    expect(repair[3].content).toContain('span 1 (send_email): parameters.to must be array');
    expect(ctx.events.some((e) => e.type === 'llm.repair')).toBe(true);
  });

  it('fails the item after an unknown action survives the repair turn, keeping the raw reply', async () => {
    const unknown = { spans: [{ action: 'archive_email', startStep: 6, endStep: 7, confidence: 0.9, evidence: [], parameters: { message_id: 'm-0007' } }] };
    server = await startFakeOpenAI({ replies: [{ json: unknown }, { json: unknown }] });
    const err = await failure(runClassify(classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() })));
    expect(err.code).toBe('TP_MODEL');
    expect(err.message).toContain('span 1: unknown action "archive_email"');
    expect(err.details.rawReply).toBe(JSON.stringify(unknown));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body.messages[3].content).toContain('unknown action "archive_email" (allowed: send_email, create_draft');
  });

  it('treats malformed JSON content as a reply to repair, and a malformed HTTP body as transient', async () => {
    server = await startFakeOpenAI({
      replies: [{ body: '{"id": "x", "choices": [', status: 200 }, { content: '{"spans": [{"action": "send_email"' }, { json: goodSpans }],
    });
    const ctx = classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() });
    const out = await runClassify(ctx);
    expect(out.spans).toHaveLength(2);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.body.messages[3].content).toContain('the reply is not valid JSON');
    expect(ctx.metricTotals['llm.retries']).toBe(1);
  });

  it('fails with the parse error when the repaired reply is still not JSON', async () => {
    server = await startFakeOpenAI({ replies: [{ content: 'Sure! Here are the spans:' }, { content: 'spans: none' }] });
    const err = await failure(runClassify(classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() })));
    expect(err.code).toBe('TP_MODEL');
    expect(err.message).toContain('not valid JSON');
    expect(err.details.rawReply).toBe('spans: none');
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After on a 429 before retrying', async () => {
    server = await startFakeOpenAI({
      replies: [{ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } }, { json: goodSpans }],
    });
    const ctx = classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() });
    const out = await runClassify(ctx);
    expect(out.spans).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
    const waited = server.requests[1]!.at - server.requests[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(2500);
    expect(ctx.metricTotals['llm.retries']).toBe(1);
    expect(ctx.events.find((e) => e.type === 'llm.retry')?.data).toMatchObject({ status: 429, waitMs: 1000 });
  });

  it('retries a 500 and succeeds', async () => {
    server = await startFakeOpenAI({ replies: [{ status: 500 }, { json: goodSpans }] });
    const out = await runClassify(classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() }));
    expect(out.spans).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on a server that keeps failing after maxRetries', async () => {
    server = await startFakeOpenAI({ handler: () => ({ status: 503, headers: { 'retry-after-ms': '20' } }) });
    const err = await failure(runClassify(classifyContext({ model: openaiModel(server.url, { maxRetries: 2 }), timeline: sendAndArchive() })));
    expect(err.code).toBe('TP_MODEL');
    expect(err.details).toEqual({ kind: 'transient', status: 503 });
    expect(server.requests).toHaveLength(3);
  });

  it('times out a hanging server as a timeout error, retried once', async () => {
    server = await startFakeOpenAI({ handler: () => ({ hang: true }) });
    const started = Date.now();
    const err = await failure(runClassify(classifyContext({ model: openaiModel(server.url, { timeoutMs: 300, maxRetries: 1 }), timeline: sendAndArchive() })));
    expect(err.code).toBe('TP_MODEL');
    expect(err.details.kind).toBe('timeout');
    expect(err.message).toMatch(/^timeout: model "fake-model" at .* did not reply within 300 ms/);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('never retries a 401, and says which variable holds the key', async () => {
    server = await startFakeOpenAI({
      handler: () => ({ status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } } }),
    });
    const err = await failure(runClassify(classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() })));
    expect(err.code).toBe('TP_MODEL');
    expect(err.message).toContain('rejected the request: HTTP 401 Incorrect API key provided');
    expect(err.hint).toContain(API_KEY_ENV);
    expect(err.details).toEqual({ kind: 'permanent', status: 401 });
    expect(server.requests).toHaveLength(1);
  });

  it('never retries a 400', async () => {
    server = await startFakeOpenAI({ handler: () => ({ status: 400, body: { error: { message: "Invalid schema for response_format 'spans'" } } }) });
    const err = await failure(runClassify(classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() })));
    expect(err.message).toContain('HTTP 400');
    expect(server.requests).toHaveLength(1);
  });

  it('a missing API key is a config error naming the variable, before any request', async () => {
    server = await startFakeOpenAI({ replies: [{ json: goodSpans }] });
    const model = openaiModel(server.url, { apiKeyEnv: 'TP_NO_SUCH_KEY_VAR' });
    const ctx = classifyContext({ model, timeline: sendAndArchive() });
    const err = await failure(runClassify(ctx));
    expect(err.code).toBe('TP_CONFIG');
    expect(err.message).toContain('TP_NO_SUCH_KEY_VAR');
    expect(server.requests).toHaveLength(0);
    const issues = classifyStage.check!(ctx.node, ctx.pipeline, ctx.files, ctx.env);
    expect(issues).toEqual([
      expect.objectContaining({ path: ['model'], message: 'the API key environment variable TP_NO_SUCH_KEY_VAR is not set (model "m")' }),
    ]);
  });

  it('a resumed run repeats no successful call', async () => {
    // 25 steps in chunks of 10 overlapping by 3: chunks start at steps 1, 8, 15, 22
    const t = timeline(Array.from({ length: 25 }, (_, i) => step('click', { target: { role: 'button', name: `b${i + 1}` } })));
    let failChunkTwo = true;
    server = await startFakeOpenAI({
      handler: (req) => {
        const first = Number(/part (\d+) of/.exec(req.body.messages[1].content)?.[1]);
        if (first === 2 && failChunkTwo) return { status: 400, body: { error: { message: 'bad request' } } };
        return { json: { spans: [] } };
      },
    });
    const memo = memoryMemo();
    const model = openaiModel(server.url);
    const options = { chunkSteps: 10, chunkOverlap: 3 };
    const err = await failure(runClassify(classifyContext({ model, timeline: t, memo, options })));
    expect(err.message).toContain('HTTP 400');
    expect(server.requests).toHaveLength(4);

    failChunkTwo = false;
    const ctx2 = classifyContext({ model, timeline: t, memo, options });
    const out = await runClassify(ctx2);
    expect(server.requests).toHaveLength(5); // only the failed chunk is asked again
    expect(ctx2.metricTotals).toMatchObject({ 'llm.cacheHits': 3, 'llm.calls': 1 });
    expect(out.usage.calls).toBe(4);

    const ctx3 = classifyContext({ model, timeline: t, memo, options });
    expect(await runClassify(ctx3)).toEqual(out);
    expect(server.requests).toHaveLength(5);
    expect(ctx3.metricTotals['llm.calls']).toBeUndefined();
  });

  it('merges spans of overlapping chunks without overwriting earlier chunks', async () => {
    const t = timeline(Array.from({ length: 16 }, (_, i) => step('click', { target: { name: `b${i + 1}` } })));
    server = await startFakeOpenAI({
      handler: (req) => {
        const part = Number(/part (\d+) of/.exec(req.body.messages[1].content)?.[1]);
        const span = (action: string, s: number, e: number, parameters: object) => ({
          action,
          startStep: s,
          endStep: e,
          confidence: 0.8,
          evidence: [],
          parameters,
        });
        // chunk 1 = steps 1-10, chunk 2 = steps 7-16; the delete at 8-10 is seen by both, cut off at 10 in chunk 1
        return part === 1
          ? { json: { spans: [span('read_email', 2, 3, { message_id: 'm-1' }), span('delete_email', 8, 10, { message_id: 'm-2' })] } }
          : { json: { spans: [span('delete_email', 8, 11, { message_id: 'm-9' }), span('search_emails', 13, 15, { query: 'x' })] } };
      },
    });
    const out = await runClassify(classifyContext({ model: openaiModel(server.url), timeline: t, options: { chunkSteps: 10, chunkOverlap: 4 } }));
    expect(out.spans.map((s) => [s.action, s.startStep, s.endStep, s.parameters])).toEqual([
      ['read_email', 2, 3, { message_id: 'm-1' }],
      ['delete_email', 8, 11, { message_id: 'm-2' }],
      ['search_emails', 13, 15, { query: 'x' }],
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it('rejects spans outside the steps shown and asks for a repair', async () => {
    const outside = { spans: [{ ...goodSpans.spans[1], startStep: 6, endStep: 70 }] };
    server = await startFakeOpenAI({ replies: [{ json: outside }, { json: goodSpans }] });
    await runClassify(classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive() }));
    expect(server.requests[1]!.body.messages[3].content).toContain('steps 6-70 are outside the steps shown (1-7)');
  });

  it('aborts promptly when the run is interrupted during a Retry-After wait', async () => {
    server = await startFakeOpenAI({ handler: () => ({ status: 429, headers: { 'retry-after': '30' } }) });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const err = await failure(runClassify(classifyContext({ model: openaiModel(server.url), timeline: sendAndArchive(), signal: ac.signal })));
    expect(err.code).toBe('TP_ABORTED');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('the per-model queue under a server rate limit', () => {
  it('many sessions against 3 requests/s: 429s are waited out (the queue holds), every item succeeds, no call is lost or doubled', async () => {
    server = await startFakeOpenAI({ rateLimit: { perSecond: 3 }, handler: () => ({ json: { spans: [] } }) });
    const model = openaiModel(server.url, { concurrency: 6, maxRetries: 8, model: 'rate-limited-model' });
    const sessions = Array.from({ length: 8 }, (_, i) => ({ ...sendAndArchive(), sessionId: `s-${i}` }));
    const outs = await Promise.all(sessions.map((t) => runClassify(classifyContext({ model, timeline: t }))));
    expect(outs.map((o) => o.sessionId)).toEqual(sessions.map((s) => s.sessionId));
    expect(server.requests).toHaveLength(8);
    expect(server.rateLimited).toBeGreaterThan(0);
  });

  it('requestsPerMinute keeps a client under the server limit', async () => {
    server = await startFakeOpenAI({ rateLimit: { perSecond: 5 }, handler: () => ({ json: { spans: [] } }) });
    const model = openaiModel(server.url, { concurrency: 6, requestsPerMinute: 240, model: 'paced-model' });
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => runClassify(classifyContext({ model, timeline: { ...sendAndArchive(), sessionId: `p-${i}` } }))));
    expect(server.rateLimited).toBe(0);
    expect(server.requests).toHaveLength(8);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // 8 requests at 4/s
  });
});

describe('classify check()', () => {
  it('reports a bad suite and a missing model; the rules provider needs no key', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'tp-check-'));
    const badSuite = join(dir, 'suite.yaml');
    writeFileSync(badSuite, 'id: s\nactions:\n  a:\n    parameters: {type: object, properties: {}}\n');
    const rules = classifyContext({ model: { provider: 'rules' }, timeline: sendAndArchive() });
    expect(classifyStage.check!(rules.node, rules.pipeline, rules.files, rules.env)).toEqual([]);
    const pipeline = { ...rules.pipeline, suite: badSuite };
    const issues = classifyStage.check!(
      { ...rules.node, model: undefined },
      pipeline,
      { read: (p) => readFileSyncUtf8(p), paths: () => [badSuite] },
      rules.env,
    );
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [undefined, `invalid suite ${badSuite}:4:5 (field actions.a.description): is required`],
      [['model'], 'stage "classify" needs a model (provider openai or rules)'],
    ]);
  });
});

function readFileSyncUtf8(p: string): string {
  return readFileSync(p, 'utf8');
}
