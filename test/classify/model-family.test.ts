import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../engine/values.ts';
import { parseSuite } from '../../domain/suite/index.ts';
import { classifyStage, OpenAIModelConfig } from '../../stages/classify/index.ts';
import { endpointOf, tokenLimitParam } from '../../stages/classify/openai/endpoints.ts';
import { imageTokens, modelFamily } from '../../stages/classify/openai/model-family.ts';
import { countTokens } from '../../stages/classify/openai/prompt-tokens.ts';
import { buildResponseSchema } from '../../stages/classify/openai/response-schema.ts';
import { classifyContext, openaiModel, sendAndArchive } from './helpers.ts';

describe('model families', () => {
  it('names through routers and variants; reasoning models are the o-series and gpt-5 (not gpt-5-chat)', () => {
    const rows = [
      'openai/gpt-4.1-mini',
      'gpt-4.1',
      'gpt-4o-mini-2024-07-18',
      'openai/o4-mini:nitro',
      'o3-pro',
      'o1',
      'gpt-5',
      'gpt-5.2-mini',
      'gpt-5-chat-latest',
      'Qwen/Qwen2.5-VL-7B-Instruct',
    ];
    expect(rows.map((m) => [m, modelFamily(m).name, modelFamily(m).reasoning])).toEqual([
      ['openai/gpt-4.1-mini', 'gpt-4.1-mini', false],
      ['gpt-4.1', 'gpt-4.1', false],
      ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini', false],
      ['openai/o4-mini:nitro', 'o4-mini', true],
      ['o3-pro', 'o3', true],
      ['o1', 'o1', true],
      ['gpt-5', 'gpt-5', true],
      ['gpt-5.2-mini', 'gpt-5-mini', true],
      ['gpt-5-chat-latest', 'gpt-5-chat', false],
      ['Qwen/Qwen2.5-VL-7B-Instruct', 'unknown', false],
    ]);
  });

  it('image tokens: patches for gpt-4.1-mini (a 1000x700 frame is about 1,100), tiles for gpt-4o, OpenAI’s worked examples', () => {
    const mini = modelFamily('gpt-4.1-mini').image;
    const four = modelFamily('gpt-4o').image;
    expect(imageTokens(mini, 1000, 700, 'low')).toBe(1141); // 32 x 22 patches x 1.62
    expect(imageTokens(mini, 1024, 1024, 'high')).toBe(Math.ceil(1024 * 1.62));
    expect(imageTokens(mini, 1800, 2400, 'high')).toBe(Math.ceil(1452 * 1.62)); // scaled to 33 x 44 patches
    expect(imageTokens(four, 1000, 700, 'low')).toBe(85);
    expect(imageTokens(four, 1024, 1024, 'high')).toBe(765); // 768 x 768: 4 tiles
    expect(imageTokens(four, 2048, 4096, 'high')).toBe(1105); // 1024 x 2048 -> 768 x 1536: 6 tiles
    expect(imageTokens(modelFamily('gpt-4o-mini').image, 1024, 1024, 'high')).toBe(2833 + 4 * 5667);
  });
});

describe('endpoints and the token limit field', () => {
  const config = (over: Record<string, unknown>) => OpenAIModelConfig.parse({ provider: 'openai', model: 'gpt-4.1', ...over });

  it('infers the endpoint from baseURL, and an explicit endpoint wins', () => {
    expect(
      ['https://api.openai.com/v1', 'https://openrouter.ai/api/v1', 'http://localhost:11434/v1', 'http://gpu-box:8000/v1'].map((baseURL) =>
        endpointOf(config({ baseURL })),
      ),
    ).toEqual(['openai', 'openrouter', 'ollama', 'generic']);
    expect(endpointOf(config({ baseURL: 'http://gpu-box:8000/v1', endpoint: 'vllm' }))).toBe('vllm');
  });

  it('max_completion_tokens for reasoning models on OpenAI and generic servers, max_tokens on OpenRouter and Ollama; explicit config wins', () => {
    expect([
      tokenLimitParam(config({ model: 'o3' })),
      tokenLimitParam(config({ model: 'gpt-4.1' })),
      tokenLimitParam(config({ model: 'gpt-5', baseURL: 'https://openrouter.ai/api/v1' })),
      tokenLimitParam(config({ model: 'gpt-5', baseURL: 'http://localhost:11434/v1' })),
      tokenLimitParam(config({ model: 'gpt-4.1', maxTokensParam: 'max_completion_tokens' })),
    ]).toEqual(['max_completion_tokens', 'max_tokens', 'max_tokens', 'max_tokens', 'max_completion_tokens']);
  });

  it('maxTokensParam is not a secret-looking key (the cache key and snapshots keep its value)', () => {
    expect(redactSecrets({ maxTokensParam: 'max_completion_tokens', contextLength: 4096, imagesPerRequest: 1 })).toEqual({
      maxTokensParam: 'max_completion_tokens',
      contextLength: 4096,
      imagesPerRequest: 1,
    });
  });
});

describe('plan estimates', () => {
  it('counts the requests, the text, the schema and the images by the family rule', () => {
    const t = sendAndArchive();
    const ctx = classifyContext({
      model: openaiModel('http://127.0.0.1:9/v1', { model: 'openai/gpt-4.1-mini', price: { inputPerMTok: 0.4, outputPerMTok: 1.6 } }),
      timeline: t,
      options: { maxImages: 2 },
    });
    const hash = ctx.artifacts.put(new Uint8Array([1, 2, 3]), 'image/jpeg');
    for (const s of t.steps) s.keyframe = { artifact: hash, mediaType: 'image/jpeg', t: s.t0 - 10, width: 1000, height: 700 };
    const e = classifyStage.estimate!({
      item: ctx.item,
      upstream: ctx.upstream,
      inputs: ctx.inputs,
      options: ctx.options,
      node: ctx.node,
      pipeline: ctx.pipeline,
      files: ctx.files,
      memo: ctx.memo,
      artifacts: ctx.artifacts,
    });
    const suite = ctx.pipeline.suite!;
    expect(Object.keys(e)).toEqual([
      'llm.calls',
      'llm.inputTokens',
      'llm.inputCostUsd',
      'llm.inputTokens.text',
      'llm.inputTokens.schema',
      'llm.inputTokens.images',
    ]);
    expect(e['llm.calls']).toBe(1);
    expect(e['llm.inputTokens.images']).toBe(2 * 1141);
    expect(e['llm.inputTokens.schema']).toBe(countTokens(JSON.stringify(buildResponseSchema(parseSuite(readFileSync(suite, 'utf8'), suite)))));
    expect(e['llm.inputTokens.schema']).toBeGreaterThan(400);
    expect(e['llm.inputTokens']).toBe(e['llm.inputTokens.text']! + e['llm.inputTokens.schema']! + e['llm.inputTokens.images']!);
    expect(e['llm.inputCostUsd']).toBeCloseTo((e['llm.inputTokens']! * 0.4) / 1e6, 12);
  });
});
