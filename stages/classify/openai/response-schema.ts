import { configError } from '../../../engine/errors.ts';
import type { Suite } from '../../../domain/suite/index.ts';

type Schema = Record<string, unknown>;

/** Keywords OpenAI strict mode accepts that we keep; the rest (minLength, format...) are still checked by ajv afterwards. */
const KEPT = new Set(['type', 'properties', 'items', 'required', 'additionalProperties', 'enum', 'const', 'description', 'anyOf']);

/** OpenAI strict mode: at most this many levels of object nesting. */
const MAX_DEPTH = 10;

/** Why one spot of an action's parameter schema cannot become a strict schema; `path` is below `actions.<name>.parameters`. */
export interface StrictProblem {
  action: string;
  path: (string | number)[];
  message: string;
}

/**
 * The strict structured-output schema built from the Suite: `{spans: [span]}`
 * where each span is an `anyOf` of one object per action whose first property
 * is `action`, fixed to that action's name, followed by that action's own
 * parameters. Decoding therefore cannot pair an action with another action's
 * parameters, and no two branches start with the same property schema (OpenAI
 * rejects anyOf branches that share identical first keys).
 * Throws TP_CONFIG listing every spot strict mode cannot express.
 */
export function buildResponseSchema(suite: Suite): Schema {
  let built = schemas.get(suite);
  if (!built) {
    built = build(suite);
    schemas.set(suite, built);
  }
  if (built.problems.length > 0) throw strictSchemaError(suite, built.problems);
  return built.schema;
}

/** Every spot of the suite's parameter schemas that strict mode cannot express (empty when the suite converts). */
export function strictSchemaProblems(suite: Suite): StrictProblem[] {
  let built = schemas.get(suite);
  if (!built) {
    built = build(suite);
    schemas.set(suite, built);
  }
  return built.problems;
}

const schemas = new WeakMap<Suite, { schema: Schema; problems: StrictProblem[] }>();

function build(suite: Suite): { schema: Schema; problems: StrictProblem[] } {
  const problems: StrictProblem[] = [];
  const branches = suite.actionNames.map((name) => {
    const root = suite.actions[name]!.parameters as Schema;
    const ctx: Ctx = { action: name, root, problems, refs: ['#'] };
    // the root object sits at depth 3: response → span → parameters
    const parameters = strictify(root, [], ctx, 3);
    // no descriptions here: the system prompt explains the span fields once, instead of once per action
    return {
      type: 'object',
      properties: {
        action: { type: 'string', enum: [name] },
        startStep: { type: 'integer' },
        endStep: { type: 'integer' },
        confidence: { type: 'number' },
        evidence: { type: 'array', items: { type: 'string' } },
        parameters,
      },
      required: ['action', 'startStep', 'endStep', 'confidence', 'evidence', 'parameters'],
      additionalProperties: false,
    };
  });
  const schema = {
    type: 'object',
    properties: { spans: { type: 'array', items: { anyOf: branches } } },
    required: ['spans'],
    additionalProperties: false,
  };
  return { schema, problems };
}

interface Ctx {
  action: string;
  root: Schema;
  problems: StrictProblem[];
  /** $refs being inlined, to refuse recursion. */
  refs: string[];
}

function strictify(input: unknown, path: (string | number)[], ctx: Ctx, depth: number): Schema {
  const problem = (message: string) => {
    ctx.problems.push({ action: ctx.action, path, message });
    return {};
  };
  if (!isObject(input)) return problem('is not a JSON Schema object');
  let schema = input;

  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    if (ctx.refs.includes(ref)) return problem(`$ref "${ref}" is recursive; tracepipe inlines references and cannot inline a recursive one`);
    const target = resolvePointer(ctx.root, ref);
    if (target === undefined) return problem(`$ref "${ref}" does not point into this parameters schema (only local "#/..." references are supported)`);
    const { $ref: _ref, ...siblings } = schema;
    ctx.refs.push(ref);
    const inlined = strictify({ ...target, ...siblings }, path, ctx, depth);
    ctx.refs.pop();
    return inlined;
  }
  if (schema.oneOf !== undefined) {
    // ajv checks the reply against the original oneOf afterwards, so the looser anyOf loses nothing
    if (schema.anyOf !== undefined) return problem('has both oneOf and anyOf');
    const { oneOf, ...rest } = schema;
    schema = { ...rest, anyOf: oneOf };
  }
  if (schema.allOf !== undefined) {
    const merged = mergeAllOf(schema, ctx);
    if (typeof merged === 'string') return problem(merged);
    schema = merged;
  }
  if (schema.prefixItems !== undefined || Array.isArray(schema.items))
    return problem('is a tuple (prefixItems), which strict structured output cannot express; use an object with named properties');
  if (schema.patternProperties !== undefined) return problem('uses patternProperties, which strict structured output cannot express; list the properties');

  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) if (KEPT.has(k)) out[k] = v;
  const types = typeList(out.type);

  if (Array.isArray(out.anyOf)) {
    if (out.anyOf.length === 0) return problem('has an empty anyOf');
    out.anyOf = out.anyOf.map((s, i) => strictify(s, [...path, 'anyOf', i], ctx, depth));
  }
  if (types.includes('array') || out.items !== undefined) {
    if (out.items === undefined) return problem('is an array without items; say what its items are');
    out.items = strictify(out.items, [...path, 'items'], ctx, depth);
  }
  if (types.includes('object') || out.properties !== undefined) {
    if (depth > MAX_DEPTH)
      return problem(`nests objects ${depth} levels deep; strict structured output allows ${MAX_DEPTH} (the response and span objects take 2)`);
    const props = isObject(out.properties) ? out.properties : undefined;
    const extra = schema.additionalProperties;
    const map = extra !== undefined && extra !== false;
    if (map && (props === undefined || Object.keys(props).length === 0))
      return problem('is a map (additionalProperties with no properties), which strict structured output cannot express; list its properties');
    // `properties: {}` says "no parameters" (the model fills in {}); no `properties` at all is a free-form object
    if (props === undefined) return problem('is an object without properties; strict structured output can only fill in named properties');
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const strictProps: Schema = {};
    for (const [name, prop] of Object.entries(props)) {
      const strict = strictify(prop, [...path, 'properties', name], ctx, depth + 1);
      strictProps[name] = required.has(name) ? strict : nullable(strict);
    }
    out.properties = strictProps;
    out.required = Object.keys(strictProps);
    // extra keys a person allowed (additionalProperties: true or a schema) are never produced: the reply stays valid
    out.additionalProperties = false;
  }
  if (types.length === 0 && out.anyOf === undefined && out.enum === undefined && out.const === undefined) {
    const dropped = Object.keys(schema).filter((k) => !KEPT.has(k));
    return problem(`has no type${dropped.length ? ` (only ${dropped.join(', ')}, which strict mode does not read)` : ''}; strict structured output needs one`);
  }
  return out;
}

/** allOf of object schemas, merged into one; a string says why it cannot be. */
function mergeAllOf(schema: Schema, ctx: Ctx): Schema | string {
  const { allOf, ...rest } = schema;
  if (!Array.isArray(allOf) || allOf.length === 0) return 'has an empty or malformed allOf';
  const parts = [rest, ...allOf.map((s) => (isObject(s) && typeof s.$ref === 'string' ? { ...resolvePointer(ctx.root, s.$ref), ...s, $ref: undefined } : s))];
  const properties: Schema = {};
  const required = new Set<string>();
  let description: unknown;
  for (const part of parts) {
    if (!isObject(part)) return 'has an allOf member that is not a schema object';
    const extraKeys = Object.keys(part).filter(
      (k) => !['type', 'properties', 'required', 'additionalProperties', 'description', 'title', '$ref'].includes(k) && part[k] !== undefined,
    );
    if (extraKeys.length > 0) return `has an allOf that combines more than object properties (${extraKeys.join(', ')}); write the merged schema out`;
    if (part.type !== undefined && part.type !== 'object') return 'has an allOf of non-object schemas; write the merged schema out';
    for (const [name, prop] of Object.entries(isObject(part.properties) ? part.properties : {})) {
      if (name in properties && JSON.stringify(properties[name]) !== JSON.stringify(prop))
        return `has an allOf whose members define property "${name}" differently`;
      properties[name] = prop;
    }
    for (const r of Array.isArray(part.required) ? part.required : []) required.add(String(r));
    description ??= part.description;
  }
  return { type: 'object', properties, required: [...required], ...(description === undefined ? {} : { description }) };
}

function resolvePointer(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref
    .slice(1)
    .split('/')
    .filter((s) => s !== '')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return isObject(node) ? node : undefined;
}

/** An optional parameter in strict mode: required, but null allowed (and null added to its enum). */
function nullable(schema: Schema): Schema {
  if (Object.keys(schema).length === 0) return schema; // already a reported problem
  const withNullEnum = (s: Schema): Schema => (Array.isArray(s.enum) && !s.enum.includes(null) ? { ...s, enum: [...s.enum, null] } : s);
  if (schema.const !== undefined) {
    const { const: value, ...rest } = schema;
    return nullable({ ...rest, enum: [value] });
  }
  if (typeof schema.type === 'string') return withNullEnum({ ...schema, type: [schema.type, 'null'] });
  if (Array.isArray(schema.type)) return withNullEnum(schema.type.includes('null') ? schema : { ...schema, type: [...schema.type, 'null'] });
  if (Array.isArray(schema.anyOf))
    return schema.anyOf.some((s) => isObject(s) && s.type === 'null') ? schema : { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
  if (Array.isArray(schema.enum)) return withNullEnum(schema);
  return { anyOf: [schema, { type: 'null' }] };
}

function typeList(type: unknown): string[] {
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

function strictSchemaError(suite: Suite, problems: StrictProblem[]) {
  const lines = problems.map((p) => `  ${describeProblem(p)}`);
  return configError(
    `suite ${suite.file}: ${problems.length === 1 ? 'a parameter schema' : `${problems.length} parameter schemas`} cannot be sent as a strict structured-output schema:\n${lines.join('\n')}`,
    {
      hint: 'Rewrite those parameters with named properties and plain types (stages/classify/README.md lists what converts), or classify this suite with the rules provider.',
    },
  );
}

export function describeProblem(p: StrictProblem): string {
  return `action ${p.action}, ${['parameters', ...p.path].join('.')}: ${p.message}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
