import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import generated from './meta-2020.generated.ts';
import { META_2020 } from './options.ts';

/**
 * `ajv.compile(schema)` for an Ajv2020 made with `validateSchema: false` and AJV_OPTIONS: the
 * schema is checked against the 2020-12 meta-schema by the validator ajv generated ahead of
 * time (meta-2020.generated.ts) instead of the one ajv compiles on its first schema, which was
 * the largest single cost of checking a pipeline. Same check, same error as ajv's own.
 */
const validateMeta = generated as unknown as ValidateFunction;

export function compileChecked(ajv: Ajv2020, schema: object | boolean): ValidateFunction {
  const declared = typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined;
  if (declared === undefined || declared === META_2020) {
    if (!validateMeta(schema)) throw new Error(`schema is invalid: ${ajv.errorsText(validateMeta.errors)}`);
  } else {
    void ajv.validateSchema(schema, true); // synchronous for a schema without $async; throws when invalid
  }
  return ajv.compile(schema);
}
