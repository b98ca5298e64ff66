import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { StageRegistry } from '../stage.ts';
import { pipelineSchema } from './pipeline-schema.ts';

type JsonSchema = Record<string, unknown>;

const toJson = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;

/**
 * The JSON Schema (draft 2020-12) of a pipeline file, generated from the same
 * zod schema that validates it. Each stage node's `uses` completes to the
 * registered stages, and its `with` is checked against that stage's own options
 * (an if/then per stage), so editors complete options per stage.
 */
export function pipelineJsonSchema(registry: StageRegistry): JsonSchema {
  const doc = toJson(pipelineSchema);
  const defs: JsonSchema = {};
  const names = Object.keys(registry).sort();
  const node = stageNodeOf(doc);
  const nodeProps = node['properties'] as Record<string, JsonSchema>;
  if (names.length > 0) nodeProps['uses'] = { ...nodeProps['uses'], enum: names };
  node['allOf'] = names.map((name) => {
    const def = registry[name]!;
    const options = hoistDefs(toJson(def.options), `stage-${name}-`, defs);
    if (def.description !== undefined && options['description'] === undefined) options['description'] = def.description;
    return { if: { properties: { uses: { const: name } }, required: ['uses'] }, then: { properties: { with: options } } };
  });
  if (names.length === 0) delete node['allOf'];
  if (Object.keys(defs).length > 0) doc['$defs'] = { ...(doc['$defs'] as JsonSchema | undefined), ...defs };
  return doc;
}

/** The schema as the file `pipeline.schema.json` holds it: stable key order, 2-space indent, final newline. */
export function pipelineSchemaText(registry: StageRegistry): string {
  return `${JSON.stringify(pipelineJsonSchema(registry), null, 2)}\n`;
}

/** Writes the published schema; the same registry always gives the same bytes. */
export function writePipelineSchema(registry: StageRegistry, path: string): void {
  writeFileSync(path, pipelineSchemaText(registry));
}

function stageNodeOf(doc: JsonSchema): JsonSchema {
  const stages = (doc['properties'] as Record<string, JsonSchema> | undefined)?.['stages'];
  const node = stages?.['additionalProperties'] as JsonSchema | undefined;
  if (node === undefined || typeof node['properties'] !== 'object') throw new Error('unreachable: stage node schema not where expected');
  return node;
}

/** A stage's own `$defs` move to the document root under a prefix, and its `$ref`s follow. */
function hoistDefs(schema: JsonSchema, prefix: string, into: JsonSchema): JsonSchema {
  const { $schema: _ignored, $defs, ...rest } = schema;
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? `#/$defs/${prefix}${v.slice(8)}` : k === '$ref' && v === '#' ? `#/$defs/${prefix}root` : rename(v)]),
    );
  };
  if ($defs !== undefined) for (const [k, v] of Object.entries($defs as JsonSchema)) into[prefix + k] = rename(v);
  const body = rename(rest) as JsonSchema;
  if (JSON.stringify(rest).includes('"$ref":"#"')) into[`${prefix}root`] = body;
  return body;
}
