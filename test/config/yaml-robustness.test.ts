import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostics, loadPipeline, loadPipelineFromText } from '../../engine/config/index.ts';
import { printed, tempTree, testRegistry } from './test-registry.ts';

/** Runs a load and returns its printed output and how long it took. */
function timed(files: Record<string, string>): { text: string; ms: number } {
  const start = performance.now();
  const text = printed(files);
  return { text, ms: performance.now() - start };
}

describe('YAML that cannot be a pipeline', () => {
  test('an unclosed flow sequence points at the line and column', () => {
    const yaml = 'name: x\nsessions: {path: s/*}\nstages:\n  a:\n    uses: load\n    needs: [b, c\n';
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:6:12 "[" is never closed with "]"
        6 |     needs: [b, c
          |            ^
        hint: Close it, or indent the lines it continues on further than its key."
    `);
  });

  test('a compact nested mapping', () => {
    expect(printed({ 'pipeline.yaml': 'name: x\nsessions: path: s/*\n' })).toMatchInlineSnapshot(`
      "pipeline.yaml:2:11 a \`key: value\` cannot start inside another value
        2 | sessions: path: s/*
          |           ^
        hint: Quote the value if it contains ": ", or check the indentation of the next line."
    `);
  });

  test('a bad indent', () => {
    const yaml = 'name: x\nsessions:\n  path: s/*\n   format: native\nstages: {}\n';
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:4:4 "format" is indented more than "path" on the line above, so YAML reads it as part of that value
        4 |    format: native
          |    ^^^^^^
        hint: Line up "format:" with "path:" (column 3)."
    `);
  });

  test('tab indentation gets a friendly message at the tab', () => {
    const yaml = 'name: x\nsessions:\n\tpath: s/*\nstages:\n  a:\n\t\tuses: load\n';
    expect(printed({ 'pipeline.yaml': yaml })).toMatchInlineSnapshot(`
      "pipeline.yaml:3:1 tab character used for indentation
        3 |  path: s/*
          | ^
        hint: YAML indents with spaces only; replace the tabs with spaces.

      pipeline.yaml:6:1 tab character used for indentation
        6 |   uses: load
          | ^^
        hint: YAML indents with spaces only; replace the tabs with spaces."
    `);
  });

  test('a YAML alias bomb is refused quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const { text, ms } = timed({ 'pipeline.yaml': `${lines.join('\n')}\n` });
    expect(text).toMatchInlineSnapshot(`
      "pipeline.yaml:2:8 too many alias expansions (more than 100)
        2 | b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
          |        ^^
        hint: This looks like a YAML alias bomb; a pipeline needs only a few \`*aliases\`."
    `);
    expect(ms).toBeLessThan(2000);
  });

  test('a 10 MB file is refused before parsing', () => {
    const dir = tempTree({});
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, `name: big\nstages:\n${'  # padding padding padding padding padding padding padding padding\n'.repeat(160_000)}`);
    const start = performance.now();
    const result = loadPipeline(file, { registry: testRegistry, env: {}, cwd: dir });
    const ms = performance.now() - start;
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(formatDiagnostics(result.diagnostics, result.sources, { cwd: dir }).replaceAll(dir, '<tmp>')).toMatchInlineSnapshot(`
      "pipeline.yaml:1:1 this file is 10.4 MB; a config file may be at most 1 MB
        hint: Is this the right file? Session data belongs under \`sessions.path\`, not in the config."
    `);
    expect(ms).toBeLessThan(200);
  });

  test('oversized text (a snapshot) is refused too', () => {
    const result = loadPipelineFromText('#'.repeat(2 * 1024 * 1024), '<snapshot of run r1>', { registry: testRegistry, env: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]?.message).toMatchInlineSnapshot(`"this file is 2.0 MB; a config file may be at most 1 MB"`);
  });

  test('a list at the root', () => {
    expect(printed({ 'pipeline.yaml': '- name: x\n- stages: {}\n' })).toMatchInlineSnapshot(`
      "pipeline.yaml:1:1 the pipeline must be a mapping, got a list
        1 | - name: x
          | ^^^^^^^^^
        hint: Write the pipeline as \`key: value\` lines: name, sessions, stages, ..."
    `);
  });

  test('a scalar at the root', () => {
    expect(printed({ 'pipeline.yaml': 'just some text\n' })).toMatchInlineSnapshot(`
      "pipeline.yaml:1:1 the pipeline must be a mapping, got the text "just some text"
        1 | just some text
          | ^^^^^^^^^^^^^^
        hint: Write the pipeline as \`key: value\` lines: name, sessions, stages, ..."
    `);
  });

  test('an empty file, and one with only comments', () => {
    expect(printed({ 'pipeline.yaml': '' })).toMatchInlineSnapshot(`
      "pipeline.yaml:1:1 the pipeline file is empty
        1 |
          | ^
        hint: A pipeline needs at least \`name:\`, \`sessions:\` and \`stages:\`."
    `);
    expect(printed({ 'pipeline.yaml': '# nothing yet\n' })).toMatchInlineSnapshot(`
      "pipeline.yaml:1:1 the pipeline file is empty
        1 | # nothing yet
          | ^
        hint: A pipeline needs at least \`name:\`, \`sessions:\` and \`stages:\`."
    `);
  });

  test('two documents in one file', () => {
    expect(printed({ 'pipeline.yaml': 'name: a\n---\nname: b\n' })).toMatchInlineSnapshot(`
      "pipeline.yaml:2:1 more than one YAML document in the file
        2 | ---
          | ^^^
        hint: A pipeline is one document; remove the second \`---\`."
    `);
  });

  test('an alias to an anchor that does not exist', () => {
    expect(printed({ 'pipeline.yaml': 'name: x\nsessions: *nowhere\nstages: {}\n' })).toMatchInlineSnapshot(`
      "pipeline.yaml:2:11 unknown alias "*nowhere"
        2 | sessions: *nowhere
          |           ^^^^^^^^
        hint: An alias must come after its \`&anchor\`."
    `);
  });

  test('a missing file', () => {
    const dir = tempTree({});
    const result = loadPipeline(join(dir, 'nope.yaml'), { registry: testRegistry, env: {}, cwd: dir });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(formatDiagnostics(result.diagnostics, result.sources, { cwd: dir }).replaceAll(dir, '<tmp>')).toMatchInlineSnapshot(`
      "nope.yaml:1:1 file not found
        hint: Check the path; relative paths resolve against the working directory or the pipeline file's folder."
    `);
  });

  test('anchors, aliases and << merge keys work for ordinary reuse', () => {
    const yaml = `name: reuse
sessions: {path: s/*}
models:
  base: &base {provider: openai, model: gpt-4o, temperature: 0}
  warm:
    <<: *base
    temperature: 0.7
stages:
  load: {uses: load}
`;
    const dir = tempTree({ 'pipeline.yaml': yaml });
    const result = loadPipeline(join(dir, 'pipeline.yaml'), { registry: testRegistry, env: {}, cwd: dir });
    expect(result.ok && result.pipeline.models).toEqual({
      base: { provider: 'openai', model: 'gpt-4o', temperature: 0 },
      warm: { provider: 'openai', model: 'gpt-4o', temperature: 0.7 },
    });
  });
});

describe('pathological nesting', () => {
  test('deeply nested brackets are refused before parsing', () => {
    const { text, ms } = timed({ 'pipeline.yaml': `name: x\nstages: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n` });
    expect(text).toMatchInlineSnapshot(`
      "pipeline.yaml:2:73 brackets nested more than 64 levels deep
        2 | …[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[…
          |                                          ^
        hint: A pipeline never needs this; is the file generated or corrupted?"
    `);
    expect(ms).toBeLessThan(1000);
  });

  test('deep block nesting within the size limit is an ordinary shape error', () => {
    let yaml = 'name: x\nsessions: {path: s/*}\nstages:\n  a:\n    uses: load\n    with:\n';
    for (let i = 0; i < 1300; i++) yaml += `${' '.repeat(i + 6)}k${i}:\n`;
    const { text, ms } = timed({ 'pipeline.yaml': yaml });
    // The parser gives up where the JavaScript stack runs out: that line depends on the process (how warm
    // its code is, what ran before it in the worker), so the position is checked to be inside the nesting.
    const first = /^pipeline\.yaml:(\d+):(\d+) the file is nested too deeply to read$/.exec(text.split('\n')[0]!);
    expect(first, text).not.toBeNull();
    const [line, column] = [Number(first![1]), Number(first![2])];
    expect(column).toBe(line);
    expect(line).toBeGreaterThan(6);
    expect(line).toBeLessThanOrEqual(6 + 1300);
    expect(ms).toBeLessThan(3000);
  });
});

test('a __proto__ key is refused where it is written', () => {
  expect(printed({ 'pipeline.yaml': 'name: x\nsessions: {path: s/*}\nstages:\n  __proto__: {uses: load}\n' })).toMatchInlineSnapshot(`
    "pipeline.yaml:4:3 the key "__proto__" is not allowed
      4 |   __proto__: {uses: load}
        |   ^^^^^^^^^"
  `);
});
