import { describe, expect, test } from 'vitest';
import { formatDiagnostic, formatDiagnostics, type Diagnostic } from '../../engine/config/index.ts';

const source = ['name: gmail', 'stages:', '  classify:', '    uses: classify', '    model: strng', ''].join('\n');
const at = (line: number, column: number, length: number, message: string, hint?: string): Diagnostic => ({
  file: '/repo/pipelines/gmail.yaml',
  line,
  column,
  length,
  message,
  path: [],
  ...(hint === undefined ? {} : { hint }),
});

describe('formatDiagnostic', () => {
  test('header relative to cwd, source line, underline, hint', () => {
    const d = at(5, 12, 5, 'unknown model "strng" (did you mean "strong"?)', 'Defined in `models`: "strong".');
    expect(formatDiagnostic(d, source, { cwd: '/repo' })).toMatchInlineSnapshot(`
      "pipelines/gmail.yaml:5:12 unknown model "strng" (did you mean "strong"?)
        5 |     model: strng
          |            ^^^^^
        hint: Defined in \`models\`: "strong"."
    `);
  });

  test('a two-digit line number widens the gutter', () => {
    const text = `${'\n'.repeat(11)}    model: strng\n`;
    expect(formatDiagnostic(at(12, 12, 5, 'unknown model "strng"'), text, { cwd: '/repo' })).toMatchInlineSnapshot(`
      "pipelines/gmail.yaml:12:12 unknown model "strng"
        12 |     model: strng
           |            ^^^^^"
    `);
  });

  test('an underline never runs past the end of the line; no source prints the header only', () => {
    expect(formatDiagnostic(at(1, 7, 50, 'too long'), source, { cwd: '/repo' })).toMatchInlineSnapshot(`
      "pipelines/gmail.yaml:1:7 too long
        1 | name: gmail
          |       ^^^^^"
    `);
    expect(formatDiagnostic(at(1, 1, 1, 'file not found'), undefined, { cwd: '/elsewhere' })).toMatchInlineSnapshot(
      `"../repo/pipelines/gmail.yaml:1:1 file not found"`,
    );
  });

  test('command-line arguments are their own source', () => {
    const d: Diagnostic = {
      file: '--set concurrency=zero',
      line: 1,
      column: 19,
      length: 4,
      message: '"concurrency" must be a number, got "zero"',
      path: ['concurrency'],
    };
    expect(formatDiagnostic(d, undefined)).toMatchInlineSnapshot(`
      "<command line>:1:19 "concurrency" must be a number, got "zero"
        1 | --set concurrency=zero
          |                   ^^^^"
    `);
  });
});

describe('formatDiagnostics', () => {
  test('sorted by file, then line and column, separated by blank lines', () => {
    const list = [at(5, 12, 5, 'second'), at(2, 1, 6, 'first'), { ...at(1, 1, 1, 'in another file'), file: '/repo/maps/gmail.yaml' }];
    const sources = { '/repo/pipelines/gmail.yaml': source, '/repo/maps/gmail.yaml': 'compose: x\n' };
    expect(formatDiagnostics(list, sources, { cwd: '/repo' })).toMatchInlineSnapshot(`
      "pipelines/gmail.yaml:2:1 first
        2 | stages:
          | ^^^^^^

      pipelines/gmail.yaml:5:12 second
        5 |     model: strng
          |            ^^^^^

      maps/gmail.yaml:1:1 in another file
        1 | compose: x
          | ^"
    `);
  });
});
