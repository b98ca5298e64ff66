import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyStage } from '../../stages/classify/index.ts';
import { openaiReasoningModel, startFakeOpenAI, strictSchemaProblem, type EndpointRules, type FakeOpenAIServer } from '../fakes/openai-server.ts';
import { classifyContext, failure, openaiModel, runClassify, sendAndArchive } from './helpers.ts';

// Each endpoint profile through the real `openai` SDK against the scripted server speaking that endpoint's rules.

const spans = {
  spans: [
    {
      action: 'send_email',
      startStep: 1,
      endStep: 5,
      confidence: 0.9,
      evidence: ['step 5'],
      parameters: { to: ['bob@example.com'], cc: null, subject: 'Hello', body: 'Hi Bob, lunch at noon?' },
    },
    {
      action: 'modify_labels',
      startStep: 6,
      endStep: 7,
      confidence: 0.9,
      evidence: ['step 7'],
      parameters: { message_id: 'm-0007', add_labels: [], remove_labels: ['INBOX'] },
    },
  ],
};

let server: FakeOpenAIServer;
afterEach(async () => server?.close());

/** The model configuration of a test: the helpers' defaults without temperature (each test says what it configures). */
function model(url: string, over: Record<string, unknown>) {
  const { temperature: _t, ...base } = openaiModel(url);
  return { ...base, ...over };
}

/** The request body without the messages (checked elsewhere) and the schema (checked by the server's strict rules). */
function sentFields(body: any) {
  const { messages: _m, response_format, ...rest } = body;
  return { ...rest, response_format: { type: response_format.type, name: response_format.json_schema.name, strict: response_format.json_schema.strict } };
}

function images(body: any): any[] {
  const user = body.messages[1].content;
  return Array.isArray(user) ? user.filter((p: any) => p.type === 'image_url') : [];
}

function withKeyframes(ctx: ReturnType<typeof classifyContext>, width = 1000, height = 700) {
  const hash = ctx.artifacts.put(new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]), 'image/jpeg');
  const t = ctx.upstream.timeline.output;
  for (const s of t.steps) s.keyframe = { artifact: hash, mediaType: 'image/jpeg', t: s.t0 - 10, width, height };
  return ctx;
}

const check = (ctx: ReturnType<typeof classifyContext>) => classifyStage.check!(ctx.node, ctx.pipeline, ctx.files, ctx.env).map((i) => i.message);

describe('endpoint openai: a reasoning model that rejects max_tokens and temperature', () => {
  it('sends max_completion_tokens and no sampling parameter, and prices cached prompt tokens at the family discount', async () => {
    const usage = { prompt_tokens: 10_000, completion_tokens: 500, prompt_tokens_details: { cached_tokens: 8000 } };
    server = await startFakeOpenAI({ rules: openaiReasoningModel, replies: [{ json: spans, usage }] });
    const ctx = classifyContext({
      model: model(server.url, { endpoint: 'openai', model: 'gpt-5-mini', price: { inputPerMTok: 0.25, outputPerMTok: 2 } }),
      timeline: sendAndArchive(),
    });
    expect(check(ctx)).toEqual([]);
    const out = await runClassify(ctx);

    expect(server.requests).toHaveLength(1);
    expect(sentFields(server.requests[0]!.body)).toEqual({
      model: 'gpt-5-mini',
      max_completion_tokens: 2000,
      seed: 7,
      response_format: { type: 'json_schema', name: 'spans', strict: true },
    });
    // 2000 uncached at $0.25, 8000 cached at gpt-5's 90% discount ($0.025), 500 out at $2 per million
    expect(out.usage.costUsd).toBe((2000 * 0.25 + 8000 * 0.025 + 500 * 2) / 1e6);
    expect(ctx.metricTotals['llm.cachedTokens']).toBe(8000);
    expect(out.spans.map((s) => s.action)).toEqual(['send_email', 'modify_labels']);
  });

  it('the old request shape gets the endpoint 400: max_tokens forced by maxTokensParam is refused and not retried', async () => {
    server = await startFakeOpenAI({ rules: openaiReasoningModel, handler: () => ({ json: spans }) });
    const ctx = classifyContext({
      model: model(server.url, { endpoint: 'openai', model: 'o4-mini', maxTokensParam: 'max_tokens' }),
      timeline: sendAndArchive(),
    });
    const err = await failure(runClassify(ctx));
    expect(err.message).toBe(
      `model "o4-mini" at ${server.url} rejected the request: HTTP 400 Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.`,
    );
    expect(err.hint).toContain('does not accept max_tokens');
    expect(err.details).toEqual({ kind: 'permanent', status: 400 });
    expect(server.requests).toHaveLength(1);
  });

  it('a configured temperature or sampling field for a reasoning model is a validate-time error naming the model', async () => {
    server = await startFakeOpenAI({ rules: openaiReasoningModel });
    const ctx = classifyContext({ model: model(server.url, { model: 'o3', temperature: 0, extraBody: { top_p: 0.9 } }), timeline: sendAndArchive() });
    expect(check(ctx)).toEqual([
      'model "m" (o3) is a reasoning model (o3 family), which refuses sampling parameters, but temperature, extraBody.top_p are configured',
    ]);
    expect(server.requests).toHaveLength(0);
  });

  it('extraBody cannot carry a second token limit (or any field the provider sets)', async () => {
    server = await startFakeOpenAI({});
    const ctx = classifyContext({
      model: model(server.url, { model: 'gpt-4.1', extraBody: { max_completion_tokens: 100, response_format: { type: 'text' } } }),
      timeline: sendAndArchive(),
    });
    expect(check(ctx)).toEqual([
      'model "m" (gpt-4.1): extraBody.max_completion_tokens is a field tracepipe sets itself',
      'model "m" (gpt-4.1): extraBody.response_format is a field tracepipe sets itself',
    ]);
  });

  it('a non-reasoning model keeps temperature 0 and max_tokens; imageDetail original is sent as configured', async () => {
    server = await startFakeOpenAI({ rules: { strictSchemas: true }, replies: [{ json: spans }] });
    const ctx = withKeyframes(
      classifyContext({
        model: model(server.url, { endpoint: 'openai', model: 'gpt-4.1', imageDetail: 'original' }),
        timeline: sendAndArchive(),
        options: { maxImages: 2 },
      }),
    );
    await runClassify(ctx);
    const body = server.requests[0]!.body;
    expect(sentFields(body)).toEqual({
      model: 'gpt-4.1',
      temperature: 0,
      max_tokens: 2000,
      seed: 7,
      response_format: { type: 'json_schema', name: 'spans', strict: true },
    });
    expect(images(body).map((p) => p.image_url.detail)).toEqual(['original', 'original']);
  });
});

describe('the strict span schema against OpenAI strict-mode rules', () => {
  it('the scripted server refuses anyOf branches that share identical first keys (the old per-parameters anyOf) and accepts ours', async () => {
    const old = {
      type: 'object',
      properties: { parameters: { anyOf: [obj({ message_id: { type: 'string' }, body: { type: 'string' } }), obj({ message_id: { type: 'string' } })] } },
      required: ['parameters'],
      additionalProperties: false,
    };
    expect(strictSchemaProblem(old, [])).toBe(
      "In context=('properties', 'parameters'), Objects provided via 'anyOf' must not share identical first keys. Consider adding a discriminator key or rearranging the properties to ensure the first key is unique.",
    );
    server = await startFakeOpenAI({ rules: { strictSchemas: true }, replies: [{ json: spans }] });
    // through the SDK, as OpenAI answers it: a 400 naming the rule
    const sdk = new OpenAI({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
    const rejected = await failure(
      sdk.chat.completions.create({
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'spans', strict: true, schema: old } },
      }),
    );
    expect([rejected.status, rejected.code, rejected.message]).toEqual([
      400,
      'invalid_json_schema',
      `400 Invalid schema for response_format 'spans': ${strictSchemaProblem(old, [])}`,
    ]);
    const out = await runClassify(classifyContext({ model: model(server.url, {}), timeline: sendAndArchive() }));
    expect(out.spans).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
    expect(strictSchemaProblem(server.requests[1]!.body.response_format.json_schema.schema, [])).toBeUndefined();
  });

  it('a reply pairing an action with another action’s parameters is repaired, not accepted', async () => {
    const mixed = { spans: [{ ...spans.spans[1], parameters: { to: ['x@example.com'], cc: null, subject: 's', body: 'b' } }] };
    server = await startFakeOpenAI({ replies: [{ json: mixed }, { json: spans }] });
    await runClassify(classifyContext({ model: model(server.url, {}), timeline: sendAndArchive() }));
    expect(server.requests[1]!.body.messages[3].content).toContain('span 1 (modify_labels): parameters is missing required property "message_id"');
  });
});

describe('endpoint openrouter: usage.cost reported, require_parameters with a schema', () => {
  const openRouter: EndpointRules = { reportCost: (u) => (u.prompt_tokens * 0.4 + u.completion_tokens * 1.6) / 1e6 + 0.0001, strictSchemas: true };

  it('sends provider.require_parameters and max_tokens, and records the cost OpenRouter reports instead of the price table', async () => {
    server = await startFakeOpenAI({ rules: openRouter, replies: [{ json: spans, usage: { prompt_tokens: 3000, completion_tokens: 200 } }] });
    const ctx = classifyContext({
      model: model(server.url, { endpoint: 'openrouter', model: 'openai/gpt-4.1-mini', temperature: 0, extraBody: { provider: { order: ['openai'] } } }),
      timeline: sendAndArchive(),
    });
    const out = await runClassify(ctx);
    expect(sentFields(server.requests[0]!.body)).toEqual({
      model: 'openai/gpt-4.1-mini',
      provider: { order: ['openai'], require_parameters: true },
      temperature: 0,
      max_tokens: 2000,
      seed: 7,
      response_format: { type: 'json_schema', name: 'spans', strict: true },
    });
    // the price table (1 and 2 per million) would say 0.0034; OpenRouter said 0.00162
    expect(out.usage.costUsd).toBe(0.00162);
    expect(ctx.metricTotals['llm.costUsd']).toBeCloseTo(0.00162, 12);
    expect(ctx.metricTotals['llm.unpricedCalls']).toBeUndefined();
  });

  it('OpenRouter takes max_tokens for a reasoning model too (it translates), and no temperature is sent', async () => {
    server = await startFakeOpenAI({ rules: openRouter, replies: [{ json: spans }] });
    await runClassify(
      classifyContext({ model: model(server.url, { baseURL: server.url, endpoint: 'openrouter', model: 'openai/o4-mini' }), timeline: sendAndArchive() }),
    );
    const body = server.requests[0]!.body;
    expect([body.max_tokens, 'max_completion_tokens' in body, 'temperature' in body, body.provider]).toEqual([
      2000,
      false,
      false,
      { require_parameters: true },
    ]);
  });
});

describe('endpoint vllm: images per request and text-only models', () => {
  it('sends one image per request by default (vLLM’s --limit-mm-per-prompt), and imagesPerRequest raises it', async () => {
    server = await startFakeOpenAI({
      rules: { maxImagesPerRequest: 2, strictSchemas: true },
      handler: () => ({ json: spans, usage: { prompt_tokens: 2400, completion_tokens: 300 } }),
    });
    const out = await runClassify(
      withKeyframes(
        classifyContext({ model: model(server.url, { endpoint: 'vllm', model: 'Qwen/Qwen2.5-VL-7B-Instruct', temperature: 0 }), timeline: sendAndArchive() }),
      ),
    );
    // a self-hosted server reports no cost: the configured price (1 in, 2 out per million), no cache discount for an unknown family
    expect(out.usage.costUsd).toBe((2400 * 1 + 300 * 2) / 1e6);
    await runClassify(
      withKeyframes(
        classifyContext({
          model: model(server.url, { endpoint: 'vllm', model: 'Qwen/Qwen2.5-VL-7B-Instruct', temperature: 0, imagesPerRequest: 2 }),
          timeline: sendAndArchive(),
        }),
      ),
    );
    expect(server.requests.map((r) => images(r.body).length)).toEqual([1, 2]);
    expect(sentFields(server.requests[0]!.body)).toEqual({
      model: 'Qwen/Qwen2.5-VL-7B-Instruct',
      temperature: 0,
      max_tokens: 2000,
      seed: 7,
      response_format: { type: 'json_schema', name: 'spans', strict: true },
    });
  });

  it('more images than the server takes fail once, with the limit in the hint', async () => {
    server = await startFakeOpenAI({ rules: { maxImagesPerRequest: 1 }, handler: () => ({ json: spans }) });
    const err = await failure(
      runClassify(withKeyframes(classifyContext({ model: model(server.url, { endpoint: 'vllm', imagesPerRequest: 4 }), timeline: sendAndArchive() }))),
    );
    expect(err.message).toContain('HTTP 400 At most 1 image(s) may be provided in one request.');
    expect(err.hint).toBe("The server takes at most 1 image(s) per request: set `imagesPerRequest: 1` (or raise the server's --limit-mm-per-prompt).");
    expect(server.requests).toHaveLength(1);
  });

  it('a text-only model: images false sends plain text; images sent anyway fail with the fix in the hint', async () => {
    server = await startFakeOpenAI({ rules: { textOnly: true }, handler: () => ({ json: spans }) });
    await runClassify(
      withKeyframes(
        classifyContext({
          model: model(server.url, { endpoint: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct', images: false }),
          timeline: sendAndArchive(),
        }),
      ),
    );
    expect(typeof server.requests[0]!.body.messages[1].content).toBe('string');
    const err = await failure(
      runClassify(
        withKeyframes(
          classifyContext({ model: model(server.url, { endpoint: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct' }), timeline: sendAndArchive() }),
        ),
      ),
    );
    expect(err.message).toContain('is not a multimodal model');
    expect(err.hint).toBe('This model reads no images: set `images: false` in its model configuration.');
  });
});

describe('endpoint ollama: max_tokens only, a fixed context window', () => {
  it('is recognised by its port and sends max_tokens even for a reasoning-named model; max_completion_tokens is refused at validate', async () => {
    server = await startFakeOpenAI({ rules: { strictSchemas: true }, replies: [{ json: spans }] });
    const ctx = classifyContext({
      model: model(server.url, { endpoint: 'ollama', model: 'gpt-oss:20b', contextLength: 32_768, price: undefined }),
      timeline: sendAndArchive(),
    });
    const out = await runClassify(ctx);
    // no reported cost and no price: 0, counted as unpriced rather than silently free
    expect([out.usage.costUsd, ctx.metricTotals['llm.unpricedCalls']]).toEqual([0, 1]);
    expect(sentFields(server.requests[0]!.body)).toEqual({
      model: 'gpt-oss:20b',
      temperature: 0,
      max_tokens: 2000,
      seed: 7,
      response_format: { type: 'json_schema', name: 'spans', strict: true },
    });
    const bad = classifyContext({
      model: model('http://localhost:11434/v1', { model: 'llama3.1', maxTokensParam: 'max_completion_tokens' }),
      timeline: sendAndArchive(),
    });
    expect(check(bad)).toEqual(['model "m" (llama3.1): the ollama endpoint reads only max_tokens, but maxTokensParam is max_completion_tokens']);
  });

  it('a prompt that cannot fit the context window fails before it is sent (Ollama would cut it silently)', async () => {
    server = await startFakeOpenAI({ handler: () => ({ json: spans }) });
    const err = await failure(
      runClassify(classifyContext({ model: model(server.url, { endpoint: 'ollama', model: 'llama3.1' }), timeline: sendAndArchive() })),
    );
    expect(err.message).toMatch(
      /^the request for steps 1-7 needs about \d+ prompt tokens plus maxTokens 2000, more than the 4096-token context window of model "llama3.1"$/,
    );
    expect(err.details.kind).toBe('context-full');
    expect(err.hint).toContain('OLLAMA_CONTEXT_LENGTH');
    expect(server.requests).toHaveLength(0);
  });

  it('a reply that filled the window is a context-full failure, not repaired', async () => {
    server = await startFakeOpenAI({ handler: () => ({ json: spans, usage: { prompt_tokens: 7900, completion_tokens: 292 } }) });
    const err = await failure(
      runClassify(
        classifyContext({
          model: model(server.url, { endpoint: 'ollama', model: 'llama3.1', contextLength: 8192, maxTokens: 1000 }),
          timeline: sendAndArchive(),
        }),
      ),
    );
    expect(err.message).toBe(
      'model "llama3.1" filled its 8192-token context window on steps 1-7 (7900 prompt + 292 reply tokens): the prompt was probably cut short',
    );
    expect(server.requests).toHaveLength(1);
  });
});

function obj(properties: Record<string, unknown>) {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}
