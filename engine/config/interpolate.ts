import type { Diagnostic } from './types.ts';
import type { LNode, LScalar, Loc, Path } from './located.ts';
import { makeDiagnostic } from './make-diagnostic.ts';
import { retypePlainScalar } from './retype-scalar.ts';

import type { Env } from '../stage.ts';

export type { Env };

const EXPRESSION = /\$\$\{|\$\{([^}]*)(\})?/g;
const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string scalar (the default
 * applies when the variable is unset or empty); `$${` is a literal `${`. A plain
 * (unquoted) scalar is re-typed after substitution, so `concurrency: ${N:-4}` is a number.
 */
export function interpolate(node: LNode, env: Env, path: Path = []): { node: LNode; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const walk = (n: LNode, p: Path): LNode => {
    switch (n.kind) {
      case 'scalar':
        return typeof n.value === 'string' && n.value.includes('${') ? interpolateScalar(n, env, p, diagnostics) : n;
      case 'seq':
        return { ...n, items: n.items.map((item, i) => walk(item, [...p, i])) };
      case 'map': {
        const entries = new Map([...n.entries].map(([k, e]) => [k, { ...e, value: walk(e.value, [...p, k]) }] as const));
        return { ...n, entries };
      }
    }
  };
  return { node: walk(node, path), diagnostics };
}

function interpolateScalar(n: LScalar, env: Env, path: Path, diagnostics: Diagnostic[]): LScalar {
  const text = n.value as string;
  let substituted = false;
  const result = text.replace(EXPRESSION, (match, body: string | undefined, close: string | undefined) => {
    if (match === '$${') return '${';
    const at = expressionLoc(n, match);
    if (close === undefined) {
      diagnostics.push(makeDiagnostic(at, 'unterminated "${" (missing "}")', path, 'Write $${ for a literal "${".'));
      return match;
    }
    const parsed = VARIABLE.exec(body ?? '');
    if (parsed === null) {
      diagnostics.push(makeDiagnostic(at, `invalid interpolation "${match}"`, path, 'Write ${NAME} or ${NAME:-default}, or $${ for a literal "${".'));
      return match;
    }
    const [, name, fallback] = parsed;
    const value = env[name!];
    substituted = true;
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    if (value === '') return '';
    diagnostics.push(makeDiagnostic(at, `environment variable ${name} is not set`, path, `Set ${name}, or give a default: \${${name}:-value}.`));
    return match;
  });
  const value = substituted && n.style === 'plain' ? retypePlainScalar(result) : result;
  return { ...n, value };
}

/** Points at the `${...}` itself when it sits on the scalar's first source line. */
function expressionLoc(n: LScalar, expression: string): Loc {
  const firstLine = n.source.split('\n')[0] ?? '';
  const index = firstLine.indexOf(expression);
  return index === -1 ? n.loc : { ...n.loc, column: n.loc.column + index, length: expression.length };
}
