import type { z } from 'zod';
import type { Diagnostic } from './types.ts';
import type { LNode, Path } from './located.ts';
import { locate } from './located.ts';
import { makeDiagnostic } from './make-diagnostic.ts';
import { describeValue, expectedNoun, lowerFirst, unquoted } from './describe-value.ts';
import { didYouMean } from './did-you-mean.ts';
import { objectKeysAt } from './schema-keys.ts';

type Issue = z.core.$ZodIssue;

/** What people usually meant when a well-known key has the wrong type. */
const TYPE_HINTS: Record<string, string> = {
  stages: 'Write stages as a mapping from id to node (`load: {uses: load}`), not a list.',
  sessions: 'Write `sessions: {path: sessions/*}`.',
  models: 'Write models as a mapping from name to configuration (`strong: {provider: openai, model: gpt-4o}`).',
};

/** One zod issue in a person's words: the one formatter every parse in tracepipe reports through. */
export interface IssueText {
  /** Where the offending value (or unknown key) sits: `base` plus the issue's own path. */
  path: Path;
  /** The issue's path inside the validated value, dotted (`viewport.width`), `(root)` for the value itself. */
  field: string;
  /** What is wrong, without naming the field: `must be a number, got "wide"`; for `file field "x": ...` messages. */
  problem: string;
  /** The whole sentence, naming the field and where it is: `"width" must be a number, got "wide"`. */
  message: string;
  hint?: string;
  /** Point at the key (an unknown or invalid key) rather than the value. */
  target: 'key' | 'value';
}

export interface DescribeOptions {
  /** The value that was validated, so a message can say what it got. */
  input: unknown;
  /** Where the validated value sits in a larger document (e.g. ['stages', 'x', 'with']); default the root. */
  base?: Path;
  /** The schema, so an unknown key can be told which keys there are. */
  schema?: z.ZodType;
  /** What an unknown key is called ("key", or "parameter" for a query string). */
  keyNoun?: string;
  /** False for recorded data: messages name a value's kind, never its text (it may be a secret). Default true (config). */
  quoteValues?: boolean;
}

/** zod issues → what is wrong, field by field, in the order zod found them. */
export function describeZodIssues(issues: readonly Issue[], opts: DescribeOptions): IssueText[] {
  return issues.flatMap((issue) => describeIssue(issue, [], opts));
}

/**
 * The first problem of a failed parse of recorded data, for messages that name one field
 * (`session.json field "t": must be a number, got a string`); values are named by kind only.
 */
export function firstZodIssue(error: z.ZodError, input: unknown): IssueText {
  return (
    describeZodIssues(error.issues, { input, quoteValues: false })[0] ?? {
      path: [],
      field: '(root)',
      problem: 'is invalid',
      message: 'the value is invalid',
      target: 'value',
    }
  );
}

export interface IssueContext {
  /** The located tree the input came from. */
  root: LNode;
  /** Where the validated value sits in the tree (e.g. ['stages', 'x', 'with']). */
  base: Path;
  schema: z.ZodType;
  input: unknown;
}

/** zod issues → diagnostics at the exact key or value in the file. */
export function zodIssuesToDiagnostics(issues: readonly Issue[], ctx: IssueContext): Diagnostic[] {
  return describeZodIssues(issues, ctx).map((t) => makeDiagnostic(locate(ctx.root, t.path, t.target), t.message, t.path, t.hint));
}

function describeIssue(issue: Issue, prefix: Path, opts: DescribeOptions): IssueText[] {
  const rel: Path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const path: Path = [...(opts.base ?? []), ...rel];
  const found = valueAt(opts.input, rel);
  const value = opts.quoteValues === false ? unquoted(found) : found;
  const label = labelOf(path);
  const text = (
    problem: string,
    message = `${label} ${problem}`,
    extra: { hint?: string | undefined; target?: 'key'; at?: Path; field?: Path } = {},
  ): IssueText => ({
    path: extra.at ?? path,
    field: fieldOf(extra.field ?? rel),
    problem,
    message,
    ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    target: extra.target ?? 'value',
  });

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = opts.schema === undefined ? [] : objectKeysAt(opts.schema, rel);
      const isOptions = path.length === 3 && path[0] === 'stages' && path[2] === 'with';
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, known);
        const message = isOptions ? `unknown option "${key}" for stage "${path[1]}"` : `unknown key "${key}"${where(path)}`;
        const hint = known.length === 0 ? undefined : isOptions ? `Options: ${known.join(', ')}.` : `Known keys: ${known.join(', ')}.`;
        return text(`is not a known ${opts.keyNoun ?? 'key'}${suggestion}`, `${message}${suggestion}`, {
          hint,
          target: 'key',
          at: [...path, key],
          field: [...rel, key],
        });
      });
    }
    case 'invalid_type':
      if (value === undefined) return [text('is required', `missing required key ${label}${where(path.slice(0, -1))}`)];
      return [text(`must be ${expectedNoun(issue.expected)}, got ${describeValue(value)}`, undefined, { hint: TYPE_HINTS[path.join('.')] })];
    case 'too_small':
    case 'too_big':
      return [text(sizeProblem(issue, value))];
    case 'invalid_value':
      return [text(oneOf(issue.values, value))];
    case 'invalid_format':
      return [text(`${lowerFirst(issue.message)}, got ${describeValue(value)}`)];
    case 'invalid_key': {
      const reason = issue.issues[0]?.message ?? issue.message;
      return [text(`is not a valid name: ${lowerFirst(reason)}`, `invalid name ${label}: it ${lowerFirst(reason)}`, { target: 'key' })];
    }
    case 'invalid_union':
      return unionTexts(issue, rel, value, opts, text);
    default:
      return [text(lowerFirst(issue.message.replace(/^Invalid input: /, '')), `${label}: ${lowerFirst(issue.message)}`)];
  }
}

/**
 * A union failed: a discriminator no branch has (`provider: openia`) is a value that must be one of the
 * branches' values; otherwise report the branch that got furthest, or "must be a X or a Y" when none got anywhere.
 */
function unionTexts(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  rel: Path,
  value: unknown,
  opts: DescribeOptions,
  text: (problem: string) => IssueText,
): IssueText[] {
  const branches = issue.errors;
  const discriminator = issue as { options?: unknown[] };
  if (branches.length === 0 && discriminator.options !== undefined) return [text(oneOf(discriminator.options, value))];
  const shallow = branches.every((b) => b.every((i) => i.path.length === 0 && i.code === 'invalid_type'));
  if (shallow || branches.length === 0) {
    const nouns = [...new Set(branches.flatMap((b) => b.map((i) => (i.code === 'invalid_type' ? expectedNoun(i.expected) : 'valid'))))];
    return [text(`must be ${nouns.join(' or ')}, got ${describeValue(value)}`)];
  }
  // An unknown key is a problem one level down, like a missing one.
  const depth = (b: readonly Issue[]) => Math.max(...b.map((i) => i.path.length + (i.code === 'unrecognized_keys' ? 1 : 0)));
  const best = [...branches].sort((a, b) => depth(b) - depth(a))[0]!;
  // Several forms that each failed on their own keys: none is closer, so listing one form's complaints would mislead.
  if (depth(best) <= 1 && branches.filter((b) => depth(b) === depth(best)).length > 1)
    return [text(`matches none of the ${branches.length} forms it may take, got ${describeValue(value)}`)];
  return best.flatMap((i) => describeIssue(i, rel, opts));
}

function oneOf(values: readonly unknown[], value: unknown): string {
  const suggestion = typeof value === 'string' ? didYouMean(value, values.map(String)) : '';
  return `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}${suggestion}`;
}

function sizeProblem(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && Number(limit) === 1) return 'must not be empty';
      return `must be ${small ? 'at least' : 'at most'} ${limit} characters long`;
    case 'array':
    case 'set':
      if (small && Number(limit) === 1) return 'must not be empty';
      return `must have ${small ? 'at least' : 'at most'} ${limit} items, got ${Array.isArray(value) ? value.length : describeValue(value)}`;
    default: {
      const bound = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
      return `must be ${bound} ${limit}, got ${describeValue(value)}`;
    }
  }
}

function valueAt(input: unknown, path: Path): unknown {
  let v = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Object.hasOwn(v, seg) ? (v as Record<string | number, unknown>)[seg] : undefined;
  }
  return v;
}

/** `viewport.width`, `evidence.0.confidence`; `(root)` for the value itself. */
function fieldOf(path: Path): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

/** `"model"`, or `"needs[1]"` for a list item. */
export function labelOf(path: Path): string {
  let i = path.length - 1;
  let suffix = '';
  while (i >= 0 && typeof path[i] === 'number') {
    suffix = `[${path[i]}]${suffix}`;
    i--;
  }
  return i < 0 ? 'the pipeline' : `"${String(path[i])}${suffix}"`;
}

/** ` in stage "x"` and friends, so a message names its context. */
function where(path: Path): string {
  if (path.length === 0) return ' at the top level';
  if (path[0] === 'stages' && path.length >= 2) {
    const rest = path.slice(2);
    return rest.length === 0 ? ` in stage "${path[1]}"` : ` in "${rest.join('.')}" of stage "${path[1]}"`;
  }
  if (path[0] === 'variants' && path.length === 2) return ` in variant "${path[1]}"`;
  return ` in "${path.join('.')}"`;
}
