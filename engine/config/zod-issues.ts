import type { z } from 'zod';
import type { Diagnostic } from './types.ts';
import type { LNode, Loc, Path } from './located.ts';
import { locate } from './located.ts';
import { makeDiagnostic } from './make-diagnostic.ts';
import { describeValue, expectedNoun, lowerFirst } from './describe-value.ts';
import { didYouMean } from './did-you-mean.ts';
import { objectKeysAt } from './schema-keys.ts';

type Issue = z.core.$ZodIssue;

/** What people usually meant when a well-known key has the wrong type. */
const TYPE_HINTS: Record<string, string> = {
  stages: 'Write stages as a mapping from id to node (`load: {uses: load}`), not a list.',
  sessions: 'Write `sessions: {path: sessions/*}`.',
  models: 'Write models as a mapping from name to configuration (`strong: {provider: openai, model: gpt-4o}`).',
};

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
  return issues.flatMap((issue) => issueToDiagnostics(issue, [], ctx));
}

function issueToDiagnostics(issue: Issue, prefix: Path, ctx: IssueContext): Diagnostic[] {
  const rel: Path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const path: Path = [...ctx.base, ...rel];
  const value = valueAt(ctx.input, rel);
  const label = labelOf(path);
  const at = (target: 'value' | 'key' = 'value', p: Path = path) => locate(ctx.root, p, target);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = objectKeysAt(ctx.schema, rel);
      const isOptions = path.length === 3 && path[0] === 'stages' && path[2] === 'with';
      return issue.keys.map((key) => {
        const message = isOptions ? `unknown option "${key}" for stage "${path[1]}"` : `unknown key "${key}"${where(path)}`;
        const hint = known.length === 0 ? undefined : isOptions ? `Options: ${known.join(', ')}.` : `Known keys: ${known.join(', ')}.`;
        return makeDiagnostic(at('key', [...path, key]), `${message}${didYouMean(key, known)}`, [...path, key], hint);
      });
    }
    case 'invalid_type':
      if (value === undefined) return [makeDiagnostic(at(), `missing required key ${label}${where(path.slice(0, -1))}`, path)];
      return [makeDiagnostic(at(), `${label} must be ${expectedNoun(issue.expected)}, got ${describeValue(value)}`, path, TYPE_HINTS[path.join('.')])];
    case 'too_small':
    case 'too_big':
      return [makeDiagnostic(at(), sizeMessage(issue, label, value), path)];
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v)).join(', ');
      const suggestion = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
      return [makeDiagnostic(at(), `${label} must be one of ${options}, got ${describeValue(value)}${suggestion}`, path)];
    }
    case 'invalid_format':
      return [makeDiagnostic(at(), `${label} ${lowerFirst(issue.message)}, got ${describeValue(value)}`, path)];
    case 'invalid_key': {
      const reason = issue.issues[0]?.message ?? issue.message;
      return [makeDiagnostic(at('key'), `invalid name ${label}: it ${lowerFirst(reason)}`, path)];
    }
    case 'invalid_union':
      return unionToDiagnostics(issue, rel, path, label, value, ctx, at);
    default:
      return [makeDiagnostic(at(), `${label}: ${lowerFirst(issue.message)}`, path)];
  }
}

/**
 * A union failed: a discriminator no branch has (`provider: openia`) is a value that must be one of the
 * branches' values; otherwise report the branch that got furthest, or "must be a X or a Y" when none got anywhere.
 */
function unionToDiagnostics(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  rel: Path,
  path: Path,
  label: string,
  value: unknown,
  ctx: IssueContext,
  at: () => Loc,
): Diagnostic[] {
  const branches = issue.errors;
  const discriminator = issue as { discriminator?: string; options?: unknown[] };
  if (branches.length === 0 && discriminator.options !== undefined) {
    const suggestion = typeof value === 'string' ? didYouMean(value, discriminator.options.map(String)) : '';
    return [makeDiagnostic(at(), `${label} must be one of ${discriminator.options.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}${suggestion}`, path)];
  }
  const shallow = branches.every((b) => b.every((i) => i.path.length === 0 && i.code === 'invalid_type'));
  if (shallow || branches.length === 0) {
    const nouns = [...new Set(branches.flatMap((b) => b.map((i) => (i.code === 'invalid_type' ? expectedNoun(i.expected) : 'valid'))))];
    return [makeDiagnostic(at(), `${label} must be ${nouns.join(' or ')}, got ${describeValue(value)}`, path)];
  }
  const depth = (b: readonly Issue[]) => Math.max(...b.map((i) => i.path.length));
  const best = [...branches].sort((a, b) => depth(b) - depth(a))[0]!;
  return best.flatMap((i) => issueToDiagnostics(i, rel, ctx));
}

function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, label: string, value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && Number(limit) === 1) return `${label} must not be empty`;
      return `${label} must be ${small ? 'at least' : 'at most'} ${limit} characters long`;
    case 'array':
    case 'set':
      if (small && Number(limit) === 1) return `${label} must not be empty`;
      return `${label} must have ${small ? 'at least' : 'at most'} ${limit} items, got ${Array.isArray(value) ? value.length : describeValue(value)}`;
    default: {
      const bound = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
      return `${label} must be ${bound} ${limit}, got ${describeValue(value)}`;
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

