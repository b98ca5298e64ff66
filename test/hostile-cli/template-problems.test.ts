import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { templateProblems } from '../../domain/templates/index.ts';

const known = { helpers: [...Object.keys(Handlebars.create().helpers), 'json'], partials: ['step'] };

describe('templateProblems finds what fails only when a branch renders', () => {
  it('a helper call anywhere: inside a branch, an else-if chain, a subexpression, hash-only', () => {
    const source = '{{#if a}}\n{{shout a}}\n{{else whisper b}}\n{{/if}}\n{{json (upper x)}}\n{{fmt x=1}}\n{{plain}}{{#section}}{{/section}}';
    expect(templateProblems(source, known).map((p) => `${p.line}:${p.column} ${p.message.replace(/ \(known.*/, '')}`)).toEqual([
      '2:1 unknown helper "shout"',
      '3:1 unknown helper "whisper"',
      '5:8 unknown helper "upper"',
      '6:1 unknown helper "fmt"',
    ]);
  });

  it('partials: unknown ones are named, inline ones and partial blocks (with a fallback) are not', () => {
    const source = '{{#*inline "row"}}x{{/inline}}{{> row}}{{> step}}\n{{> missing}}{{#> other}}fallback{{/other}}';
    expect(templateProblems(source, known)).toEqual([{ line: 2, column: 1, message: 'unknown partial "missing" (known: row, step)' }]);
  });

  it('syntax: an unclosed block names its opening line, a mismatched one the closing tag; blocks in comments do not count', () => {
    expect(templateProblems('{{!-- {{#each x}} --}}\n{{#each items}}\n{{#if a}}{{/if}}\n', known)).toEqual([
      { line: 2, column: 1, message: 'the block {{#each}} is never closed (no {{/each}})' },
    ]);
    expect(templateProblems('{{#if a}}\n{{/each}}', known)).toEqual([{ line: 1, column: 4, message: "if doesn't match each" }]);
    expect(templateProblems('ok {{foo', known)).toEqual([
      { line: 1, column: 1, message: "syntax error: Expecting 'ID', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', 'NULL', 'DATA', got 'INVALID'" },
    ]);
  });

  it('a clean template has no problems', () => {
    expect(templateProblems('{{#each steps}}{{> step}}{{json this}}{{@index}}{{/each}}{{lookup a "b"}}', known)).toEqual([]);
  });
});
