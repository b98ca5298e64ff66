import type { Suite } from '../../suite/index.ts';

type Schema = Record<string, unknown>;

/** Keywords OpenAI strict mode accepts; the rest (minLength, format...) are still checked by ajv afterwards. */
const KEPT = new Set(['type', 'properties', 'items', 'required', 'additionalProperties', 'enum', 'const', 'description', 'anyOf']);

/**
 * The strict structured-output schema built from the Suite:
 * `{spans: [{action: enum, startStep, endStep, confidence, evidence[], parameters: anyOf(per action)}]}`.
 * Strict mode needs every property required: originally optional ones become nullable.
 */
export function buildResponseSchema(suite: Suite): Schema {
  let schema = schemas.get(suite);
  if (!schema) {
    schema = build(suite);
    schemas.set(suite, schema);
  }
  return schema;
}

const schemas = new WeakMap<Suite, Schema>();

function build(suite: Suite): Schema {
  const parameterVariants = suite.actionNames.map((name) => ({
    ...strictify(suite.actions[name]!.parameters as Schema),
    description: `parameters of ${name}`,
  }));
  const span = {
    type: 'object',
    properties: {
      action: { type: 'string', enum: suite.actionNames },
      startStep: { type: 'integer', description: 'first step id of the action' },
      endStep: { type: 'integer', description: 'last step id of the action' },
      confidence: { type: 'number', description: '0..1' },
      evidence: { type: 'array', items: { type: 'string' }, description: 'short reasons citing step ids' },
      parameters: { anyOf: parameterVariants },
    },
    required: ['action', 'startStep', 'endStep', 'confidence', 'evidence', 'parameters'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { spans: { type: 'array', items: span } },
    required: ['spans'],
    additionalProperties: false,
  };
}

function strictify(schema: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) if (KEPT.has(k)) out[k] = v;
  if (Array.isArray(out.anyOf)) out.anyOf = (out.anyOf as Schema[]).map(strictify);
  if (out.items && typeof out.items === 'object') out.items = strictify(out.items as Schema);
  if (out.properties && typeof out.properties === 'object') {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const props: Schema = {};
    for (const [name, prop] of Object.entries(out.properties as Record<string, Schema>)) {
      const strict = strictify(prop);
      props[name] = required.has(name) ? strict : nullable(strict);
    }
    out.properties = props;
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return out;
}

function nullable(schema: Schema): Schema {
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.type)) return schema.type.includes('null') ? schema : { ...schema, type: [...schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}
