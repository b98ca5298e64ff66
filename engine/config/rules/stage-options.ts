import type { Rule } from './rule-context.ts';
import type { StageDefinition } from '../../stage.ts';
import { locate } from '../located.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';
import { didYouMean } from '../did-you-mean.ts';
import { droppedKeys } from '../schema-keys.ts';
import { zodIssuesToDiagnostics } from '../zod-issues.ts';
import { isPlainObject } from '../../values.ts';

/** A stage's `with:` must satisfy that stage's own options schema; issues point at the exact sub-key. */
export const invalidStageOptions: Rule = (ctx) =>
  ctx.stages.flatMap((stage) => {
    if (stage.uses === undefined || !Object.hasOwn(ctx.registry, stage.uses)) return [];
    if (stage.with !== undefined && !isPlainObject(stage.with)) return [];
    const def = ctx.registry[stage.uses]!;
    const input = stage.with ?? {};
    const base = ['stages', stage.id, 'with'];
    const parsed = safeParseOptions(def, input);
    if (parsed.threw !== undefined) {
      return [
        makeDiagnostic(
          locate(ctx.root, base),
          `options of stage "${stage.id}" could not be checked: ${parsed.threw}`,
          base,
          `This is a bug in the "${stage.uses}" stage's options schema.`,
        ),
      ];
    }
    const diagnostics = parsed.issues === undefined ? [] : zodIssuesToDiagnostics(parsed.issues, { root: ctx.root, base, schema: def.options, input });
    return [...diagnostics, ...unknownOptionKeys(ctx, stage.id, def, input, base)];
  });

/** A plain `z.object` drops unknown keys without a word; a typo in `with:` must not pass silently. */
function unknownOptionKeys(ctx: Parameters<Rule>[0], id: string, def: StageDefinition, input: Record<string, unknown>, base: string[]) {
  return droppedKeys(def.options, input).map(({ path, key, known }) => {
    const at = [...base, ...path, key];
    const where = path.length === 0 ? '' : ` in "${path.join('.')}"`;
    return makeDiagnostic(
      locate(ctx.root, at, 'key'),
      `unknown option "${key}"${where} for stage "${id}"${didYouMean(key, known)}`,
      at,
      known.length === 0 ? 'No options are accepted here.' : `Options: ${known.join(', ')}.`,
    );
  });
}

export function safeParseOptions(def: StageDefinition, input: unknown): { value?: unknown; issues?: import('zod').z.core.$ZodIssue[]; threw?: string } {
  try {
    const result = def.options.safeParse(input);
    return result.success ? { value: result.data } : { issues: result.error.issues };
  } catch (err) {
    return { threw: err instanceof Error ? err.message : String(err) };
  }
}
