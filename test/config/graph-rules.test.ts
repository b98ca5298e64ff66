import { describe, expect, test } from 'vitest';
import { BASE, loadTree, printed } from './test-registry.ts';

describe('graph rules', () => {
  test('unknown uses suggests the closest registered stage', () => {
    expect(printed({ 'pipeline.yaml': BASE.replace('uses: write', 'uses: wirte') })).toMatchInlineSnapshot(`
      "pipeline.yaml:20:11 unknown stage type "wirte" (did you mean "write"?)
        20 |     uses: wirte
           |           ^^^^^
        hint: Registered stages: "classify", "load", "write"."
    `);
  });

  test('unknown needs, in a string and in a list', () => {
    const yaml = BASE.replace('needs: load', 'needs: lod').replace('needs: [classify]', 'needs: [classify, nowhere]');
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:17:12 stage "classify" needs unknown stage "lod" (did you mean "load"?)
        17 |     needs: lod
           |            ^^^

      pipeline.yaml:21:23 stage "write" needs unknown stage "nowhere"
        21 |     needs: [classify, nowhere]
           |                       ^^^^^^^"
    `);
  });

  test('a cycle is named once, from its first stage in the file', () => {
    const yaml = `name: loop
sessions: {path: s/*}
stages:
  a:
    uses: load
    needs: [c]
  b:
    uses: classify
    needs: a
    model: m
  c:
    uses: write
    needs: [b]
models:
  m: {provider: rules}
`;
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:6:13 cycle: a -> c -> b -> a
        6 |     needs: [c]
          |             ^
        hint: A stage cannot depend on itself, directly or through other stages; remove one of these \`needs\`."
    `);
  });

  test('a stage that needs itself', () => {
    const yaml = `name: self
sessions: {path: s/*}
stages:
  a:
    uses: load
    needs: a
`;
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:6:12 cycle: a -> a
        6 |     needs: a
          |            ^
        hint: A stage cannot depend on itself, directly or through other stages; remove one of these \`needs\`."
    `);
  });

  test('duplicate stage ids name both positions', () => {
    const yaml = `${BASE}  load:
    uses: load
`;
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:22:3 duplicate stage id "load" (first defined at line 13, column 3)
        22 |   load:
           |   ^^^^
        hint: Stage ids must be unique; rename one of them."
    `);
  });

  test('duplicate keys elsewhere are errors too', () => {
    const yaml = BASE.replace('    model: gpt-4o\n', '    model: gpt-4o\n    model: gpt-4.1\n');
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:8:5 duplicate key "model" (first at line 7, column 5)
        8 |     model: gpt-4.1
          |     ^^^^^"
    `);
  });

  test('unknown model', () => {
    expect(printed({ 'pipeline.yaml': BASE.replace('model: strong', 'model: strng') })).toMatchInlineSnapshot(`
      "pipeline.yaml:18:12 unknown model "strng" (did you mean "strong"?)
        18 |     model: strng
           |            ^^^^^
        hint: Defined in \`models\`: "strong", "small"."
    `);
  });

  test('unknown action-tool map, with none defined', () => {
    const yaml = BASE.replace('model: strong', 'model: strong\n    actionToolMap: gmail');
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:19:20 unknown action-tool map "gmail"
        19 |     actionToolMap: gmail
           |                    ^^^^^
        hint: The pipeline defines no actionToolMaps; add one under \`actionToolMaps:\`."
    `);
  });

  test('unknown action-tool map, with a near miss', () => {
    const yaml = `${BASE.replace('model: strong', 'model: strong\n    actionToolMap: gmial')}actionToolMaps:\n  gmail: {compose: send_email}\n`;
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:19:20 unknown action-tool map "gmial" (did you mean "gmail"?)
        19 |     actionToolMap: gmial
           |                    ^^^^^
        hint: Defined in \`actionToolMaps\`: "gmail"."
    `);
  });

  test('missing prompt, suite and action-tool map files', () => {
    const yaml = `${BASE.replace('model: strong', 'model: strong\n    prompt: prompts/classify.hbs')}suite: suites/gmail.yaml\nactionToolMaps:\n  gmail: maps/gmail.yaml\n`;
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:19:13 prompt file "prompts/classify.hbs" not found
        19 |     prompt: prompts/classify.hbs
           |             ^^^^^^^^^^^^^^^^^^^^
        hint: Looked for <tmp>/prompts/classify.hbs; relative paths resolve against the pipeline file's folder.

      pipeline.yaml:23:8 suite file "suites/gmail.yaml" not found
        23 | suite: suites/gmail.yaml
           |        ^^^^^^^^^^^^^^^^^
        hint: Looked for <tmp>/suites/gmail.yaml; relative paths resolve against the pipeline file's folder.

      pipeline.yaml:25:10 action-tool map file "maps/gmail.yaml" not found
        25 |   gmail: maps/gmail.yaml
           |          ^^^^^^^^^^^^^^^
        hint: Looked for <tmp>/maps/gmail.yaml; relative paths resolve against the pipeline file's folder."
    `);
  });

  test("a stage's with is checked against its own options schema, at the exact sub-key", () => {
    const yaml = BASE.replace(
      '    model: strong\n',
      `    model: strong
    with:
      chunkSize: 0
      temperature: hot
      images:
        max: 3
        detail: medium
        detial: low
      chunksize: 3
`,
    ).replace('uses: load\n', 'uses: load\n    with: {format: hra, maxImage: 3}\n');
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:15:20 "format" must be one of "native", "har", got "hra" (did you mean "har"?)
        15 |     with: {format: hra, maxImage: 3}
           |                    ^^^

      pipeline.yaml:15:25 unknown option "maxImage" for stage "load" (did you mean "maxImages"?)
        15 |     with: {format: hra, maxImage: 3}
           |                         ^^^^^^^^
        hint: Options: format, maxImages.

      pipeline.yaml:21:18 "chunkSize" must be at least 1, got 0
        21 |       chunkSize: 0
           |                  ^

      pipeline.yaml:22:20 "temperature" must be a number, got "hot"
        22 |       temperature: hot
           |                    ^^^

      pipeline.yaml:25:17 "detail" must be one of "low", "high", got "medium"
        25 |         detail: medium
           |                 ^^^^^^

      pipeline.yaml:26:9 unknown option "detial" in "images" for stage "classify" (did you mean "detail"?)
        26 |         detial: low
           |         ^^^^^^
        hint: Options: max, detail.

      pipeline.yaml:27:7 unknown option "chunksize" for stage "classify" (did you mean "chunkSize"?)
        27 |       chunksize: 3
           |       ^^^^^^^^^
        hint: Options: chunkSize, temperature, images."
    `);
  });

  test("a stage's own check runs on an otherwise valid pipeline, at the node", () => {
    const { result } = loadTree({ 'pipeline.yaml': BASE.replace('    model: strong\n', ''), 'prompt.hbs': '' });
    expect(result.ok).toBe(false);
    expect(printed({ 'pipeline.yaml': BASE.replace('    model: strong\n', '') })).toMatchInlineSnapshot(`
      "pipeline.yaml:15:3 classify needs a model
        15 |   classify:
           |   ^^^^^^^^
        hint: Add \`model: <name>\`."
    `);
    expect(printed({ 'pipeline.yaml': BASE.replace('model: strong', 'model: strong\n    prompt: prompt.hbs'), 'prompt.hbs': '  \n' })).toMatchInlineSnapshot(`
      "pipeline.yaml:19:13 the prompt template is empty
        19 |     prompt: prompt.hbs
           |             ^^^^^^^^^^"
    `);
  });

  test('check does not run while other errors exist', () => {
    const yaml = BASE.replace('    model: strong\n', '').replace('uses: write', 'uses: wirte');
    expect(printed({ 'pipeline.yaml': yaml })).not.toContain('classify needs a model');
  });

  test('every rule reports; nothing stops at the first error', () => {
    const yaml = BASE.replace('uses: load', 'uses: laod')
      .replace('needs: load', 'needs: lod')
      .replace('model: strong', 'model: strng')
      .replace('needs: [classify]', 'needs: [classify]\n    bogus: 1');
    const { result } = loadTree({ 'pipeline.yaml': yaml });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.diagnostics.map((d) => [d.line, d.message])).toMatchInlineSnapshot(`
      [
        [
          22,
          "unknown key "bogus" in stage "write"",
        ],
        [
          14,
          "unknown stage type "laod" (did you mean "load"?)",
        ],
        [
          17,
          "stage "classify" needs unknown stage "lod" (did you mean "load"?)",
        ],
        [
          18,
          "unknown model "strng" (did you mean "strong"?)",
        ],
      ]
    `);
  });
});
