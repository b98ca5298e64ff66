import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { configError, formatLocation, type SourceLocation } from '../../engine/errors.ts';
import { sha256 } from '../../engine/hash.ts';
import { describeZodIssues } from '../../engine/config/zod-issues.ts';
import { SuiteSpec, type Suite } from './suite.ts';
import { compileChecked } from '../json-schema/compile.ts';
import { AJV_OPTIONS } from '../json-schema/options.ts';

/** Parsed suites by file and text hash: every item of a run reads the same suite. */
const parsed = new Map<string, Suite>();

/** {@link parseSuite}, memoized by file and text (the same text always parses the same). */
export function parseSuiteCached(text: string, file: string): Suite {
  const key = `${file}\u0000${sha256(text)}`;
  let suite = parsed.get(key);
  if (suite === undefined) {
    suite = parseSuite(text, file);
    if (parsed.size > 16) parsed.clear();
    parsed.set(key, suite);
  }
  return suite;
}

/**
 * Parses and validates a Suite file. Every problem (YAML syntax, shape, an
 * invalid parameters schema) is collected and thrown as one TP_CONFIG error whose
 * message lists each as `file:line:col (field a.b) message`.
 */
export function parseSuite(text: string, file: string): Suite {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems: { loc: SourceLocation; message: string }[] = [];
  const at = (path: (string | number)[]) => locate(doc, lineCounter, file, path);

  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    problems.push({ loc: { file, line: pos.line, column: pos.col }, message: e.message.split('\n')[0] ?? e.message });
  }
  if (problems.length > 0) throw report(file, problems);

  const input: unknown = doc.toJS();
  const shaped = SuiteSpec.safeParse(input);
  if (!shaped.success) {
    // A bad record key (an action name) or an unknown key is reported at the key.
    for (const issue of describeZodIssues(shaped.error.issues, { input, schema: SuiteSpec })) {
      problems.push({ loc: locate(doc, lineCounter, file, issue.path, issue.target === 'key'), message: issue.problem });
    }
    throw report(file, problems);
  }
  const spec = shaped.data;

  const ajv = new Ajv2020({ ...AJV_OPTIONS, validateSchema: false });
  const validators = new Map<string, ValidateFunction>();
  for (const [name, action] of Object.entries(spec.actions)) {
    try {
      validators.set(name, compileChecked(ajv, action.parameters));
    } catch (err) {
      problems.push({ loc: at(['actions', name, 'parameters']), message: `invalid JSON Schema: ${(err as Error).message}` });
    }
    for (const [i, rule] of action.evidence.entries()) {
      for (const param of Object.keys(rule.parameters)) {
        if (!(param in action.parameters.properties)) {
          problems.push({
            loc: locate(doc, lineCounter, file, ['actions', name, 'evidence', i, 'parameters', param], true),
            message: `rule extracts "${param}", which is not a parameter of ${name} (parameters: ${Object.keys(action.parameters.properties).join(', ')})`,
          });
        }
      }
    }
  }
  if (problems.length > 0) throw report(file, problems);

  return {
    ...spec,
    file,
    actionNames: Object.keys(spec.actions),
    validateParameters(action, parameters) {
      const validate = validators.get(action);
      if (!validate) return [`unknown action "${action}"`];
      return validate(parameters) ? [] : (validate.errors ?? []).map(describeAjvError);
    },
  };
}

/** `/to/0 must be string`, `must have required property 'subject'`: what a repair turn shows the model. */
export function describeAjvError(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'parameters' : `parameters${e.instancePath.replaceAll('/', '.')}`;
  if (e.keyword === 'additionalProperties') {
    return `${where} has unexpected property "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
  }
  if (e.keyword === 'required') {
    return `${where} is missing required property "${String((e.params as { missingProperty: string }).missingProperty)}"`;
  }
  return `${where} ${e.message ?? 'is invalid'}`;
}

/** Where `path` (e.g. ['actions', 'send_email', 'parameters', 'properties', 'to']) is in a suite's text: the deepest node of it that exists. */
export function locateInSuite(text: string, file: string, path: (string | number)[]): SourceLocation {
  const lineCounter = new LineCounter();
  return locate(parseDocument(text, { lineCounter }), lineCounter, file, path);
}

function locate(doc: Document, lc: LineCounter, file: string, path: (string | number)[], atKey = false): SourceLocation {
  const field = path.join('.');
  if (atKey && path.length > 0) {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1));
      if (isNode(pair?.key) && pair.key.range) {
        const pos = lc.linePos(pair.key.range[0]);
        return { file, line: pos.line, column: pos.col, field };
      }
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { file, line: pos.line, column: pos.col, ...(field ? { field } : {}) };
    }
  }
  return { file, ...(field ? { field } : {}) };
}

function report(file: string, problems: { loc: SourceLocation; message: string }[]) {
  const first = problems[0]!;
  const lines = problems.map((p) => `${formatLocation(p.loc)}: ${p.message}`);
  return configError(problems.length === 1 ? `invalid suite ${lines[0]}` : `invalid suite ${file} (${problems.length} problems):\n  ${lines.join('\n  ')}`, {
    location: first.loc,
    hint: 'Fix the suite file; see domain/suite/evidence.ts for the evidence-rule language.',
  });
}
