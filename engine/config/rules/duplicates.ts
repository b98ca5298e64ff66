import type { Rule } from './rule-context.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';

const isStageId = (path: (string | number)[]) =>
  (path.length === 2 && path[0] === 'stages') || (path.length === 4 && path[0] === 'variants' && path[2] === 'stages');

/** A stage id written twice: the second would silently replace the first. */
export const duplicateStageIds: Rule = (ctx) =>
  ctx.duplicates
    .filter((d) => isStageId(d.path))
    .map((d) =>
      makeDiagnostic(
        d.second,
        `duplicate stage id "${d.key}" (first defined at line ${d.first.line}, column ${d.first.column})`,
        d.path,
        'Stage ids must be unique; rename one of them.',
      ),
    );

/** Any other key written twice in one mapping. */
export const duplicateKeys: Rule = (ctx) =>
  ctx.duplicates
    .filter((d) => !isStageId(d.path))
    .map((d) => makeDiagnostic(d.second, `duplicate key "${d.key}" (first at line ${d.first.line}, column ${d.first.column})`, d.path));
