import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { pipelineJsonSchema, pipelineSchemaText, writePipelineSchema } from '../../engine/config/index.ts';
import { BASE, tempTree, testRegistry } from './test-registry.ts';

describe('the published JSON Schema', () => {
  test('is pinned for the test registry', async () => {
    await expect(pipelineSchemaText(testRegistry)).toMatchFileSnapshot('__snapshots__/pipeline.schema.test-registry.json');
  });

  test('is deterministic, whatever order the registry lists its stages in', () => {
    const reversed = Object.fromEntries(Object.entries(testRegistry).reverse());
    expect(pipelineSchemaText(reversed)).toBe(pipelineSchemaText(testRegistry));
    const dir = tempTree({});
    writePipelineSchema(testRegistry, join(dir, 'pipeline.schema.json'));
    expect(readFileSync(join(dir, 'pipeline.schema.json'), 'utf8')).toBe(pipelineSchemaText(testRegistry));
  });

  test('accepts a valid pipeline and rejects a stage option of the wrong type, per stage', () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    const validate = ajv.compile(pipelineJsonSchema(testRegistry));
    expect(validate(parse(BASE))).toBe(true);
    const bad = parse(BASE.replace('uses: load', 'uses: load\n    with: {format: zip}'));
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain('/stages/load/with/format');
    // `format` belongs to load, not write: options are checked per stage, and typos are flagged.
    expect(validate(parse(BASE.replace('uses: write', 'uses: write\n    with: {split: 0.2}')))).toBe(true);
    expect(validate(parse(BASE.replace('uses: write', 'uses: write\n    with: {format: native}')))).toBe(false);
  });
});
