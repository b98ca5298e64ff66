import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { StageOptions, StageOutput } from '../../engine/stage.ts';
import type { RoleOutputs } from '../../domain/roles.ts';
import type { ClassifyOptions } from '../../stages/classify/options.ts';
import { formatDiagnostics, loadPipeline } from '../../engine/config/index.ts';
import { builtinStages } from '../../stages/index.ts';
import { tempTree } from './test-registry.ts';

/** The printed diagnostics of a pipeline validated against the built-in stages. */
function printed(stages: string): string {
  const suite = readFileSync(new URL('../../pipelines/suites/gmail.yaml', import.meta.url), 'utf8');
  const dir = tempTree({
    'pipeline.yaml': `name: roles\nsessions: {path: s/*}\nsuite: suite.yaml\nmodels:\n  rules: {provider: rules}\nstages:\n${stages}`,
    'suite.yaml': suite,
  });
  const result = loadPipeline(join(dir, 'pipeline.yaml'), { registry: builtinStages, env: {}, cwd: dir });
  if (result.ok) return 'ok';
  return formatDiagnostics(result.diagnostics, result.sources, { cwd: dir });
}

const LOAD = '  load: {uses: load}\n';
const NORMALIZE = '  normalize: {uses: normalize, needs: load}\n';

describe('needs edges connect a producer to a consumer of its role', () => {
  test('a need of the wrong role, at the needs entry, naming both roles and what fits', () => {
    expect(printed(`${LOAD}${NORMALIZE}  classify: {uses: classify, needs: load, model: rules}\n`)).toMatchInlineSnapshot(`
      "pipeline.yaml:9:37 "load" produces "session", but stage "classify" consumes "timeline"
        9 |   classify: {uses: classify, needs: load, model: rules}
          |                                     ^^^^
        hint: Need a stage that produces "timeline": "normalize"."
    `);
  });

  test('a role none of the needs provides, at the needs list', () => {
    expect(
      printed(`${LOAD}${NORMALIZE}  classify: {uses: classify, needs: normalize, model: rules}\n  synthesize:\n    uses: synthesize\n    needs: [classify]\n`),
    ).toMatchInlineSnapshot(`
      "pipeline.yaml:12:12 stage "synthesize" consumes "timeline", but none of its needs ("classify") produces it
        12 |     needs: [classify]
           |            ^^^^^^^^^^
        hint: Need a stage that produces "timeline": "normalize"."
    `);
  });

  test('a stage with no needs that consumes a role, at the stage', () => {
    expect(printed(`${LOAD}  normalize: {uses: normalize}\n`)).toMatchInlineSnapshot(`
      "pipeline.yaml:8:3 stage "normalize" consumes "session", but it has no needs
        8 |   normalize: {uses: normalize}
          |   ^^^^^^^^^
        hint: Need a stage that produces "session": "load"."
    `);
  });

  test('no stage of the pipeline produces the role: the registered stages that do', () => {
    expect(printed(`${LOAD}  write: {uses: write-examples, needs: load}\n`)).toMatchInlineSnapshot(`
      "pipeline.yaml:8:40 "load" produces "session", but stage "write" consumes "example"
        8 |   write: {uses: write-examples, needs: load}
          |                                        ^^^^
        hint: No stage in this pipeline produces "example"; add one (uses: synthesize, write-examples) and list it in needs."
    `);
  });

  test('two needs of one role', () => {
    expect(printed(`${LOAD}${NORMALIZE}  again: {uses: normalize, needs: load}\n  classify: {uses: classify, needs: [normalize, again], model: rules}\n`))
      .toMatchInlineSnapshot(`
      "pipeline.yaml:10:49 stage "classify" needs two stages that produce "timeline": "normalize" and "again"
        10 |   classify: {uses: classify, needs: [normalize, again], model: rules}
           |                                                 ^^^^^
        hint: A stage reads each role from one need; keep one of them."
    `);
  });

  test('an edge into a stage that consumes nothing, and one into a command stage (which takes any input)', () => {
    expect(printed(`${LOAD}  other: {uses: load, needs: load}\n  score: {uses: exec, needs: load, with: {run: cat}}\n`)).toMatchInlineSnapshot(`
      "pipeline.yaml:8:30 "load" produces "session", but stage "other" consumes nothing
        8 |   other: {uses: load, needs: load}
          |                              ^^^^
        hint: It reads no upstream output; remove "load" from needs."
    `);
  });

  test('a command stage between two typed stages stands in for the role left', () => {
    expect(
      printed(`${LOAD}${NORMALIZE}  filter: {uses: exec, needs: normalize, with: {run: cat}}\n  classify: {uses: classify, needs: filter, model: rules}\n`),
    ).toMatchInlineSnapshot(`"ok"`);
  });
});

describe("the registry keeps each stage's types", () => {
  test('options and output of a built-in stage, as tsc sees them', () => {
    expectTypeOf<StageOptions<typeof builtinStages.classify>>().toEqualTypeOf<ClassifyOptions>();
    expectTypeOf<StageOutput<typeof builtinStages.classify>>().toEqualTypeOf<RoleOutputs['classification']>();
    expectTypeOf<StageOutput<typeof builtinStages.normalize>>().toEqualTypeOf<RoleOutputs['timeline']>();
    expect(Object.fromEntries(Object.entries(builtinStages).map(([name, def]) => [name, [def.consumes ?? null, def.produces ?? null]]))).toEqual({
      load: [[], 'session'],
      normalize: [['session'], 'timeline'],
      classify: [['timeline'], 'classification'],
      synthesize: [['classification', 'timeline'], 'example'],
      'write-examples': [['example'], 'example'],
      dataset: [['example'], 'dataset'],
      exec: [null, null],
    });
  });
});
