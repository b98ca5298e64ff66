import type { ActionToolMap, ArgumentMapping, ToolMapping } from './schema.ts';
import { propertiesOf, requiredOf, type JsonSchema, type SuiteActions } from './suite-shape.ts';

/** An entry of the OpenAI `tools` array. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema };
}

/**
 * The OpenAI `tools` array for a map: one function per mapped action, in the
 * suite's action order (map order for actions the suite does not list).
 */
export function toolsFor(map: ActionToolMap, suite?: SuiteActions): ToolDefinition[] {
  const suiteOrder = suite ? Object.keys(suite.actions) : [];
  const actions = [...suiteOrder.filter((a) => a in map.tools), ...Object.keys(map.tools).filter((a) => !suiteOrder.includes(a))];
  return actions.map((action) => {
    const t = map.tools[action] as ToolMapping;
    const spec = suite?.actions[action];
    return {
      type: 'function',
      function: {
        name: t.tool,
        description: t.description ?? spec?.description ?? action,
        parameters: t.schema ? stripMeta(t.schema) : deriveSchema(t, spec?.parameters),
      },
    };
  });
}

/** The tool definition of the action's tool. */
export function toolFor(map: ActionToolMap, action: string, suite?: SuiteActions): ToolDefinition | undefined {
  const name = map.tools[action]?.tool;
  return toolsFor(map, suite).find((t) => t.function.name === name);
}

function deriveSchema(t: ToolMapping, actionParams: JsonSchema | undefined): JsonSchema {
  const props = propertiesOf(actionParams);
  const required = new Set(requiredOf(actionParams));
  const properties: Record<string, JsonSchema> = {};
  const req: string[] = [];
  for (const [argName, m] of Object.entries(t.arguments)) {
    const { schema, isRequired } = argumentSchema(m, props, required);
    properties[argName] = schema;
    if (isRequired) req.push(argName);
  }
  return { type: 'object', properties, required: req, additionalProperties: false };
}

function argumentSchema(m: ArgumentMapping, props: Record<string, JsonSchema>, required: Set<string>): { schema: JsonSchema; isRequired: boolean } {
  const withDescription = (s: JsonSchema): JsonSchema => (m.description ? { ...s, description: m.description } : s);
  if ('from' in m) {
    const source = props[m.from];
    return { schema: withDescription(source ? stripMeta(source) : {}), isRequired: required.has(m.from) };
  }
  if ('const' in m) {
    const type = jsonType(m.const);
    const s: JsonSchema = type === 'object' || type === 'array' ? { const: m.const } : { type, enum: [m.const] };
    return { schema: withDescription(s), isRequired: true };
  }
  return { schema: withDescription({ type: 'string' }), isRequired: true };
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Tool parameter schemas carry no `$schema`/`$id`: trainers and chat templates show them verbatim. */
function stripMeta(s: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = s;
  return structuredClone(rest);
}
