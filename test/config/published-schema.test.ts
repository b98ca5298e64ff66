import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { pipelineSchemaText } from '../../engine/config/index.ts';
import { builtinStages } from '../../stages/index.ts';

test('pipeline.schema.json at the repository root matches the built-in stages (run `npm run schema` to update it)', () => {
  const published = readFileSync(fileURLToPath(new URL('../../pipeline.schema.json', import.meta.url)), 'utf8');
  expect(published, 'pipeline.schema.json is stale: run `npm run schema` and commit it').toBe(pipelineSchemaText(builtinStages));
});
