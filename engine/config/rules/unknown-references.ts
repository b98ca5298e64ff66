import type { Rule, StageView } from './rule-context.ts';
import { locate } from '../located.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';
import { didYouMean, listNames } from '../did-you-mean.ts';
import { isPlainObject } from '../../values.ts';

function namesIn(config: Record<string, unknown>, key: string): string[] {
  const v = config[key];
  return isPlainObject(v) ? Object.keys(v) : [];
}

function referenceRule(field: 'model' | 'actionToolMap', section: 'models' | 'actionToolMaps', noun: string): Rule {
  return (ctx) => {
    const known = namesIn(ctx.config, section);
    return ctx.stages.flatMap((stage: StageView) => {
      const ref = stage[field];
      if (ref === undefined || known.includes(ref)) return [];
      const path = ['stages', stage.id, field];
      const hint =
        known.length === 0 ? `The pipeline defines no ${section}; add one under \`${section}:\`.` : `Defined in \`${section}\`: ${listNames(known)}.`;
      return [makeDiagnostic(locate(ctx.root, path), `unknown ${noun} "${ref}"${didYouMean(ref, known)}`, path, hint)];
    });
  };
}

/** `model:` must name an entry of `models`. */
export const unknownModels: Rule = referenceRule('model', 'models', 'model');
/** `actionToolMap:` must name an entry of `actionToolMaps`. */
export const unknownActionToolMaps: Rule = referenceRule('actionToolMap', 'actionToolMaps', 'action-tool map');
