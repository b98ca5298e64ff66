import { describe, expect, test } from 'vitest';
import { BASE, loadTree, printed } from './test-registry.ts';

describe('--set overrides', () => {
  test('numbers, lists, booleans and new keys', () => {
    const { result } = loadTree(
      { 'pipeline.yaml': BASE },
      {
        sets: [
          'models.small.temperature=0.2',
          'stages.write.needs=[load, classify]',
          'models.small.stream=true',
          'stages.classify.with.images.max=4',
          'stages.classify.model=small',
        ],
      },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pipeline.models['small']).toEqual({ provider: 'openai', model: 'gpt-4o-mini', temperature: 0.2, stream: true });
    const classify = result.pipeline.stages.find((s) => s.id === 'classify');
    expect(classify?.with).toEqual({ chunkSize: 40, images: { max: 4, detail: 'low' } });
    expect(classify?.model?.name).toBe('small');
    expect(result.pipeline.stages.find((s) => s.id === 'write')?.needs).toEqual(['load', 'classify']);
  });

  test('sets apply after the variant', () => {
    const yaml = `${BASE}variants:\n  v:\n    concurrency: 2\n`;
    const { result } = loadTree({ 'pipeline.yaml': yaml }, { variant: 'v', sets: ['concurrency=3'] });
    expect(result.ok && result.pipeline.concurrency).toBe(3);
  });

  test('null deletes a key', () => {
    const { result } = loadTree({ 'pipeline.yaml': BASE }, { sets: ['models.small.temperature=null'] });
    expect(result.ok && result.pipeline.models['small']).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  test('an invalid value points at the command line', () => {
    expect(printed({ 'pipeline.yaml': BASE }, { sets: ['stages.classify.model=strng'] })).toMatchInlineSnapshot(`
      "<command line>:1:29 unknown model "strng" (did you mean "strong"?)
        1 | --set stages.classify.model=strng
          |                             ^^^^^
        hint: Defined in \`models\`: "strong", "small"."
    `);
    expect(printed({ 'pipeline.yaml': BASE }, { sets: ['concurrency=0'] })).toMatchInlineSnapshot(`
      "<command line>:1:19 "concurrency" must be at least 1, got 0
        1 | --set concurrency=0
          |                   ^"
    `);
  });

  test('bad paths and unparseable values', () => {
    expect(printed({ 'pipeline.yaml': BASE }, { sets: ['name.first=x', 'stages..model=x', 'concurrency', 'models.small.temperature=[0.2', 'nmae=x'] }))
      .toMatchInlineSnapshot(`
      "<command line>:1:7 --set needs the form path=value, got "concurrency"
        1 | --set concurrency
          |       ^^^^^^^^^^^
        hint: Example: --set stages.classify.model=strong

      <command line>:1:32 --set value: YAML syntax error: flow sequence must end with a ]
        1 | --set models.small.temperature=[0.2
          |                                ^
        hint: A quote or bracket is probably not closed.

      <command line>:1:7 cannot set "name.first": "name" is the value "gmail", not a mapping
        1 | --set name.first=x
          |       ^^^^

      <command line>:1:7 unknown key "nmae" at the top level (did you mean "name"?)
        1 | --set nmae=x
          |       ^^^^
        hint: Known keys: name, sessions, suite, concurrency, output, cache, models, actionToolMaps, stages, variants.

      <command line>:1:14 --set path "stages..model" has an empty segment
        1 | --set stages..model=x
          |              ^
        hint: Write the path as dot-separated keys, e.g. models.small.temperature"
    `);
  });
});
