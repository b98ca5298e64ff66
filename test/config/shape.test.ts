import { describe, expect, test } from 'vitest';
import { BASE, printed } from './test-registry.ts';

describe('pipeline shape', () => {
  test('unknown top-level keys suggest the right one', () => {
    expect(printed({ 'pipeline.yaml': BASE.replace('models:', 'model:') })).toMatchInlineSnapshot(`
      "pipeline.yaml:4:1 unknown key "model" at the top level (did you mean "models"?)
        4 | model:
          | ^^^^^
        hint: Known keys: name, sessions, suite, concurrency, output, cache, models, actionToolMaps, stages, variants.

      pipeline.yaml:18:12 unknown model "strong"
        18 |     model: strong
           |            ^^^^^^
        hint: The pipeline defines no models; add one under \`models:\`."
    `);
  });

  test('missing required keys and wrong types', () => {
    const yaml = `name: 3
sessions: {format: native}
concurrency: 1.5
stages:
  load:
    needs: [1]
    thresholds: {review: 1.5}
    prompt: ""
  bad id:
    uses: load
  nedds:
    uses: load
    nedds: [load]
`;
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:1:7 "name" must be a string, got 3
        1 | name: 3
          |       ^

      pipeline.yaml:2:1 missing required key "path" in "sessions"
        2 | sessions: {format: native}
          | ^^^^^^^^

      pipeline.yaml:3:14 "concurrency" must be an integer, got 1.5
        3 | concurrency: 1.5
          |              ^^^

      pipeline.yaml:5:3 missing required key "uses" in stage "load"
        5 |   load:
          |   ^^^^

      pipeline.yaml:6:13 "needs[0]" must be a string, got 1
        6 |     needs: [1]
          |             ^

      pipeline.yaml:7:26 "review" must be at most 1, got 1.5
        7 |     thresholds: {review: 1.5}
          |                          ^^^

      pipeline.yaml:8:13 "prompt" must not be empty
        8 |     prompt: ""
          |             ^^

      pipeline.yaml:9:3 invalid name "bad id": it must start with a letter or "_" and contain only letters, digits, "_" and "-"
        9 |   bad id:
          |   ^^^^^^

      pipeline.yaml:13:5 unknown key "nedds" in stage "nedds" (did you mean "needs"?)
        13 |     nedds: [load]
           |     ^^^^^
        hint: Known keys: uses, needs, with, model, actionToolMap, prompt, thresholds, concurrency."
    `);
  });

  test('a pipeline without stages', () => {
    expect(printed({ 'pipeline.yaml': 'name: x\nsessions: {path: s/*}\n' })).toMatchInlineSnapshot(`
      "pipeline.yaml:1:1 missing required key "stages" at the top level
        1 | name: x
          | ^"
    `);
  });

  test('stages written as a list', () => {
    expect(printed({ 'pipeline.yaml': 'name: x\nsessions: {path: s/*}\nstages:\n  - uses: load\n' })).toMatchInlineSnapshot(`
      "pipeline.yaml:3:1 "stages" must be a mapping, got a list
        3 | stages:
          | ^^^^^^
        hint: Write stages as a mapping from id to node (\`load: {uses: load}\`), not a list."
    `);
  });

  test('a model without a provider', () => {
    expect(printed({ 'pipeline.yaml': BASE.replace('    provider: openai\n    model: gpt-4o\n', '    model: gpt-4o\n') })).toMatchInlineSnapshot(`
      "pipeline.yaml:5:3 missing required key "provider" in "models.strong"
        5 |   strong:
          |   ^^^^^^"
    `);
  });
});
