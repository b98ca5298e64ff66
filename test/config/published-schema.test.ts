import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { pipelineSchemaText } from '../../engine/config/index.ts';
import { builtinStages } from '../../stages/index.ts';

const repo = (rel: string) => fileURLToPath(new URL(`../../${rel}`, import.meta.url));

describe('the published pipeline.schema.json', () => {
  test('matches the built-in stages (run `npm run schema` to update it)', () => {
    const published = readFileSync(repo('pipeline.schema.json'), 'utf8');
    expect(published, 'pipeline.schema.json is stale: run `npm run schema` and commit it').toBe(pipelineSchemaText(builtinStages));
  });

  test('accepts every pipeline in pipelines/', () => {
    const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(repo('pipeline.schema.json'), 'utf8')));
    const files = readdirSync(repo('pipelines')).filter((f) => /\.ya?ml$/.test(f));
    for (const file of files) {
      const ok = validate(parse(readFileSync(repo(`pipelines/${file}`), 'utf8')));
      expect(ok ? [] : validate.errors, file).toEqual([]);
    }
  });
});
