import type { Rule } from './rule-context.ts';
import { locate } from '../located.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';
import { didYouMean, listNames } from '../did-you-mean.ts';

/** `uses:` must name a registered stage. */
export const unknownUses: Rule = (ctx) => {
  const known = Object.keys(ctx.registry).sort();
  return ctx.stages.flatMap((stage) => {
    if (stage.uses === undefined || Object.hasOwn(ctx.registry, stage.uses)) return [];
    const path = ['stages', stage.id, 'uses'];
    return [
      makeDiagnostic(
        locate(ctx.root, path),
        `unknown stage type "${stage.uses}"${didYouMean(stage.uses, known)}`,
        path,
        `Registered stages: ${listNames(known)}.`,
      ),
    ];
  });
};
