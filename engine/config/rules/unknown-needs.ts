import type { Rule } from './rule-context.ts';
import { locate } from '../located.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';
import { didYouMean } from '../did-you-mean.ts';

/** Every `needs:` entry must be the id of another stage in the pipeline. */
export const unknownNeeds: Rule = (ctx) => {
  const ids = ctx.stages.map((s) => s.id);
  return ctx.stages.flatMap((stage) =>
    stage.needs
      .filter((need) => !ids.includes(need.id))
      .map((need) =>
        makeDiagnostic(
          locate(ctx.root, need.path),
          `stage "${stage.id}" needs unknown stage "${need.id}"${didYouMean(
            need.id,
            ids.filter((i) => i !== stage.id),
          )}`,
          need.path,
        ),
      ),
  );
};
