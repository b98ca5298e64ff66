import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostics, loadPipeline, pipelineJsonSchema } from '../../engine/config/index.ts';
import { FORMAT_CHOICES } from '../../domain/formats/index.ts';
import { builtinStages } from '../../stages/index.ts';
import { tempTree } from './test-registry.ts';

const SUITE = readFileSync(new URL('../../pipelines/suites/gmail.yaml', import.meta.url), 'utf8');

/** The printed diagnostics of a pipeline validated against the built-in stages. */
function printed(yaml: string): string {
  const dir = tempTree({ 'pipeline.yaml': yaml, 'suite.yaml': SUITE });
  const result = loadPipeline(join(dir, 'pipeline.yaml'), { registry: builtinStages, env: {}, cwd: dir });
  if (result.ok) return 'ok';
  return formatDiagnostics(result.diagnostics, result.sources, { cwd: dir });
}

const pipeline = (sessions: string, load = '{uses: load}', model = '{provider: rules}') => `name: enums
sessions: ${sessions}
suite: suite.yaml
models:
  m: ${model}
stages:
  load: ${load}
  normalize: {uses: normalize, needs: load}
  classify: {uses: classify, needs: normalize, model: m}
`;

describe('option values that come from a registry in code', () => {
  test('sessions.format is one of the importers, with did-you-mean at the value', () => {
    expect(printed(pipeline('{path: s/*, format: clone}'))).toMatchInlineSnapshot(`
      "pipeline.yaml:2:31 "format" must be one of "auto", "native", "extension", "playwright", "har", "rrweb", "chromeRecorder", "clones", "opencua", "opencuaBench", got "clone" (did you mean "clones"?)
        2 | sessions: {path: s/*, format: clone}
          |                               ^^^^^"
    `);
  });

  test('stages.load.with.format is one of the importers too', () => {
    expect(printed(pipeline('{path: s/*}', '\n    uses: load\n    with: {format: playwrite}'))).toMatchInlineSnapshot(`
      "pipeline.yaml:9:20 "format" must be one of "auto", "native", "extension", "playwright", "har", "rrweb", "chromeRecorder", "clones", "opencua", "opencuaBench", got "playwrite" (did you mean "playwright"?)
        9 |     with: {format: playwrite}
          |                    ^^^^^^^^^"
    `);
  });

  test('every importer name, auto and native are accepted', () => {
    expect(FORMAT_CHOICES).toEqual(['auto', 'native', 'extension', 'playwright', 'har', 'rrweb', 'chromeRecorder', 'clones', 'opencua', 'opencuaBench']);
    expect(FORMAT_CHOICES.map((f) => printed(pipeline(`{path: s/*, format: ${f}}`, `{uses: load, with: {format: ${f}}}`)))).toEqual(
      FORMAT_CHOICES.map(() => 'ok'),
    );
  });

  test('a model provider classify does not know, with did-you-mean at models.<name>.provider', () => {
    expect(printed(pipeline('{path: s/*}', '{uses: load}', '{provider: rulez}'))).toMatchInlineSnapshot(`
      "pipeline.yaml:5:17 "provider" must be one of "openai", "rules", got "rulez" (did you mean "rules"?)
        5 |   m: {provider: rulez}
          |                 ^^^^^"
    `);
  });

  test("a provider's own settings are checked at their place under models", () => {
    expect(printed(pipeline('{path: s/*}', '{uses: load}', '{provider: openai, model: gpt-4o, maxTokens: many}'))).toMatchInlineSnapshot(`
      "pipeline.yaml:5:51 "maxTokens" must be a number, got "many"
        5 |   m: {provider: openai, model: gpt-4o, maxTokens: many}
          |                                                   ^^^^"
    `);
  });

  test('the JSON Schema lists the formats and the providers as enums', () => {
    const schema = pipelineJsonSchema(builtinStages) as any;
    expect(schema.properties.sessions.properties.format.enum).toEqual([...FORMAT_CHOICES]);
    expect(schema.properties.models.additionalProperties.properties.provider.enum).toEqual(['openai', 'rules']);
    const load = schema.properties.stages.additionalProperties.allOf.find((b: any) => b.if.properties.uses.const === 'load');
    expect(load.then.properties.with.properties.format.enum).toEqual([...FORMAT_CHOICES]);
  });
});
