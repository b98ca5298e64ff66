import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { listVariants } from '../../engine/config/index.ts';
import { BASE, loadTree, printed, tempTree } from './test-registry.ts';

const WITH_VARIANTS = `${BASE}variants:
  cheap:
    models:
      strong:
        model: gpt-4o-mini
        temperature: null
    stages:
      classify:
        with: {chunkSize: 10}
  noWrite:
    stages:
      write: null
      review:
        uses: write
        needs: classify
  budget:
    concurrency: 2
    output: results/budget
`;

describe('variants', () => {
  test('deep merge: mappings merge key by key, null deletes a key', () => {
    const { dir, result } = loadTree({ 'pipeline.yaml': WITH_VARIANTS }, { variant: 'cheap' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pipeline.variant).toBe('cheap');
    expect(result.pipeline.models['strong']).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    const classify = result.pipeline.stages.find((s) => s.id === 'classify');
    expect(classify?.with).toEqual({ chunkSize: 10 });
    expect(classify?.model).toEqual({ name: 'strong', config: { provider: 'openai', model: 'gpt-4o-mini' } });
    expect(result.pipeline.outDir).toBe(join(dir, 'out', 'gmail-cheap'));
    expect(result.raw).not.toHaveProperty('variants');
  });

  test('a variant can delete a stage and add one', () => {
    const { result } = loadTree({ 'pipeline.yaml': WITH_VARIANTS }, { variant: 'noWrite' });
    expect(result.ok && result.pipeline.stages.map((s) => s.id)).toEqual(['load', 'classify', 'review']);
  });

  test('scalars replace; an explicit output is kept', () => {
    const { dir, result } = loadTree({ 'pipeline.yaml': WITH_VARIANTS }, { variant: 'budget' });
    expect(result.ok && [result.pipeline.concurrency, result.pipeline.outDir]).toEqual([2, join(dir, 'results/budget')]);
  });

  test('lists replace rather than append', () => {
    const yaml = `${BASE}variants:\n  v:\n    stages:\n      write:\n        needs: [load]\n`;
    const { result } = loadTree({ 'pipeline.yaml': yaml }, { variant: 'v' });
    expect(result.ok && result.pipeline.stages.find((s) => s.id === 'write')?.needs).toEqual(['load']);
  });

  test('an unknown variant lists the known ones', () => {
    expect(printed({ 'pipeline.yaml': WITH_VARIANTS }, { variant: 'chaep' })).toMatchInlineSnapshot(`
      "<command line>:1:11 unknown variant "chaep" (did you mean "cheap"?)
        1 | --variant chaep
          |           ^^^^^
        hint: Variants in this pipeline: "cheap", "noWrite", "budget"."
    `);
    expect(printed({ 'pipeline.yaml': BASE }, { variant: 'cheap' })).toMatchInlineSnapshot(`
      "<command line>:1:11 unknown variant "cheap"
        1 | --variant cheap
          |           ^^^^^
        hint: This pipeline defines no variants."
    `);
  });

  test("errors a variant introduces point into the variant's own text", () => {
    const yaml = `${BASE}variants:\n  typo:\n    stages:\n      classify:\n        model: strnog\n`;
    expect(printed({ 'pipeline.yaml': yaml }, { variant: 'typo' })).toMatchInlineSnapshot(`
      "pipeline.yaml:26:16 unknown model "strnog" (did you mean "strong"?)
        26 |         model: strnog
           |                ^^^^^^
        hint: Defined in \`models\`: "strong", "small"."
    `);
  });

  test('variant keys are checked even when the variant is not applied', () => {
    const yaml = `${BASE}variants:\n  typo:\n    stagse: {}\n  all: {}\n`;
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:24:5 unknown key "stagse" in variant "typo" (did you mean "stages"?)
        24 |     stagse: {}
           |     ^^^^^^
        hint: Known keys: name, sessions, suite, concurrency, output, cache, models, actionToolMaps, stages.

      pipeline.yaml:25:3 variant name "all" is reserved (--variant all runs every variant)
        25 |   all: {}
           |   ^^^
        hint: Rename the variant."
    `);
  });

  test('listVariants names them in file order', () => {
    const dir = tempTree({ 'pipeline.yaml': WITH_VARIANTS, 'broken.yaml': 'a: [' });
    expect(listVariants(join(dir, 'pipeline.yaml'))).toEqual(['cheap', 'noWrite', 'budget']);
    expect(listVariants(join(dir, 'broken.yaml'))).toEqual([]);
  });
});
