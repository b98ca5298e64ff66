import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { compileChecked } from '../../domain/json-schema/compile.ts';
import { metaValidatorSource } from '../../domain/json-schema/meta-source.ts';
import { AJV_OPTIONS } from '../../domain/json-schema/options.ts';
import { repoRoot } from '../helpers/cli.ts';

/** Valid and invalid parameter schemas, each broken in a different part of the 2020-12 meta-schema. */
const SCHEMAS: unknown[] = [
  {
    type: 'object',
    properties: { to: { type: 'array', items: { type: 'string' }, minItems: 1 }, subject: { type: 'string', maxLength: 200 } },
    required: ['to'],
    additionalProperties: false,
  },
  { type: 'strng' },
  { type: 'object', required: 'to' },
  { type: 'string', minLength: -1 },
  { properties: { a: { type: 'object', properties: { b: { enum: 'x' } } } } },
  { prefixItems: [{ type: 'string' }, 3] },
  { $defs: { a: { type: 'nope' } }, $ref: '#/$defs/a' },
  { oneOf: [] },
  { anyOf: [{ type: 'string' }, { type: ['number', 'bogus'] }] },
  { dependentRequired: { a: [1] } },
  { if: { type: 'string' }, then: { maxLength: 'x' } },
  { unevaluatedProperties: 5 },
  { pattern: 3 },
  { $ref: '#/$defs/missing' },
  { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'bogus' },
  { $schema: 'http://json-schema.org/draft-07/schema#', type: 'bogus' },
  {},
  true,
];

/** What ajv's own compile says: 'ok', or its error message. */
function outcome(compile: () => unknown): string {
  try {
    compile();
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the 2020-12 meta-schema check compiled ahead of time', () => {
  it('is the code ajv generates today (run `npm run generate:meta-validator` after an ajv upgrade)', () => {
    expect(readFileSync(join(repoRoot, 'domain/json-schema/meta-2020.generated.ts'), 'utf8')).toBe(metaValidatorSource());
  });

  it("accepts and refuses exactly what ajv's compile does, with the same message", () => {
    const outcomes = SCHEMAS.map((schema) => {
      const ajv = new Ajv2020({ ...AJV_OPTIONS, logger: false });
      const fast = new Ajv2020({ ...AJV_OPTIONS, logger: false, validateSchema: false });
      return [outcome(() => compileChecked(fast, schema as object)), outcome(() => ajv.compile(schema as object))];
    });
    for (const [ours, ajvs] of outcomes) expect(ours).toBe(ajvs);
    // the list exercises both answers: three schemas are fine, each other one is refused
    const refused = outcomes.map(([ours]) => ours!).filter((o) => o !== 'ok');
    expect(refused).toHaveLength(SCHEMAS.length - 3);
    // ({type: 'strng'} with and without an explicit $schema say the same)
    expect(new Set(refused).size).toBe(SCHEMAS.length - 4);
    expect(refused).toContain(
      'schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf',
    );
  });
});
