import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { describeZodIssues, firstZodIssue } from '../../engine/config/index.ts';

const Shape = z.strictObject({
  width: z.number(),
  kind: z.enum(['click', 'scroll']),
  name: z.string().min(1),
  tags: z.array(z.string()).max(2),
  arg: z.union([z.strictObject({ from: z.string() }), z.strictObject({ const: z.unknown() })]),
  provider: z.discriminatedUnion('provider', [z.object({ provider: z.literal('openai') }), z.object({ provider: z.literal('rules') })]),
});

describe('the one zod-issue formatter', () => {
  test('gives each problem its path, its field and a message a person can act on', () => {
    const input = {
      width: 'wide',
      kind: 'clik',
      name: '',
      tags: ['a', 'b', 'c'],
      arg: { from: 'x', const: 1 },
      provider: { provider: 'rulez' },
      colour: 'red',
    };
    const parsed = Shape.safeParse(input);
    if (parsed.success) throw new Error('expected the input to be refused');
    expect(
      describeZodIssues(parsed.error.issues, { input, schema: Shape, base: ['session'] }).map((i) => [i.path.join('.'), i.field, i.problem, i.target]),
    ).toEqual([
      ['session.width', 'width', 'must be a number, got "wide"', 'value'],
      ['session.kind', 'kind', 'must be one of "click", "scroll", got "clik" (did you mean "click"?)', 'value'],
      ['session.name', 'name', 'must not be empty', 'value'],
      ['session.tags', 'tags', 'must have at most 2 items, got 3', 'value'],
      ['session.arg', 'arg', 'matches none of the 2 forms it may take, got a mapping', 'value'],
      ['session.provider.provider', 'provider.provider', 'must be one of "openai", "rules", got "rulez" (did you mean "rules"?)', 'value'],
      ['session.colour', 'colour', 'is not a known key', 'key'],
    ]);
  });

  test('the whole message names the field; a missing key and an unknown one are told apart', () => {
    const input = { kind: 'click', nmae: 'x' };
    const parsed = z.strictObject({ kind: z.string(), name: z.string() }).safeParse(input);
    if (parsed.success) throw new Error('expected the input to be refused');
    const schema = z.strictObject({ kind: z.string(), name: z.string() });
    expect(describeZodIssues(parsed.error.issues, { input, schema }).map((i) => i.message)).toEqual([
      'missing required key "name" at the top level',
      'unknown key "nmae" at the top level (did you mean "name"?)',
    ]);
    expect(firstZodIssue(parsed.error, input)).toEqual({
      path: ['name'],
      field: 'name',
      problem: 'is required',
      message: 'missing required key "name" at the top level',
      target: 'value',
    });
  });
});
