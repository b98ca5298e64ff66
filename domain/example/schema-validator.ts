import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { canonicalJson } from '../../engine/hash.ts';

const ajvOptions = { strict: false, allErrors: true, validateFormats: false, logger: false } as const;
let ajv2020: Ajv2020 | undefined;
let ajv07: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * A validator for a tool's parameter schema. Schemas that declare an older draft
 * (draft-04/06/07) get the classic Ajv; everything else, including schemas with no
 * `$schema` and zod's 2020-12 output, gets Ajv2020.
 */
export function schemaValidator(schema: Record<string, unknown>): ValidateFunction {
  const key = canonicalJson(schema);
  let fn = compiled.get(key);
  if (fn === undefined) {
    const declared = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
    const ajv = /draft-0[4-7]/.test(declared) ? (ajv07 ??= new Ajv(ajvOptions)) : (ajv2020 ??= new Ajv2020(ajvOptions));
    fn = ajv.compile(schema);
    compiled.set(key, fn);
  }
  return fn;
}
