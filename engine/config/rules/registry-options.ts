import type { Rule, RuleContext } from './rule-context.ts';
import type { Diagnostic } from '../types.ts';
import type { StageDefinition } from '../../stage.ts';
import type { Path } from '../located.ts';
import { zodIssuesToDiagnostics } from '../zod-issues.ts';
import { isPlainObject } from '../../values.ts';

/** `sessions:` must satisfy the `sessionOptions` of every stage the pipeline uses (load's `format`: one of its importers). */
export const invalidSessionOptions: Rule = (ctx) => {
  const sessions = ctx.config['sessions'];
  if (!isPlainObject(sessions)) return [];
  const schemas = new Set(usedDefs(ctx).flatMap((def) => (def.sessionOptions === undefined ? [] : [def.sessionOptions])));
  return [...schemas].flatMap((schema) => checked(ctx, schema, sessions, ['sessions']));
};

/** A node's `model:` must satisfy its stage's `modelOptions` (classify: a provider it knows, with that provider's settings), reported at `models.<name>`. */
export const invalidModelOptions: Rule = (ctx) => {
  const models = ctx.config['models'];
  if (!isPlainObject(models)) return [];
  const seen = new Set<string>();
  return ctx.stages.flatMap((stage) => {
    const def = stage.uses !== undefined && Object.hasOwn(ctx.registry, stage.uses) ? ctx.registry[stage.uses] : undefined;
    const config = stage.model === undefined ? undefined : models[stage.model];
    if (def?.modelOptions === undefined || stage.model === undefined || !isPlainObject(config)) return [];
    // One model named by several nodes of one stage type is reported once.
    const once = `${stage.uses}\u0000${stage.model}`;
    if (seen.has(once)) return [];
    seen.add(once);
    return checked(ctx, def.modelOptions, config, ['models', stage.model]);
  });
};

function usedDefs(ctx: RuleContext): StageDefinition[] {
  const uses = new Set(ctx.stages.flatMap((s) => (s.uses !== undefined && Object.hasOwn(ctx.registry, s.uses) ? [s.uses] : [])));
  return [...uses].map((u) => ctx.registry[u]!);
}

function checked(ctx: RuleContext, schema: NonNullable<StageDefinition['sessionOptions']>, input: Record<string, unknown>, base: Path): Diagnostic[] {
  const result = schema.safeParse(input);
  return result.success ? [] : zodIssuesToDiagnostics(result.error.issues, { root: ctx.root, base, schema, input });
}
