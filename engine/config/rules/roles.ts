import type { Rule, RuleContext, StageView } from './rule-context.ts';
import type { Diagnostic } from '../types.ts';
import type { StageDefinition } from '../../stage.ts';
import { bindRoles, type RoleProblem } from '../../roles.ts';
import { locate } from '../located.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';
import { listNames } from '../did-you-mean.ts';

/**
 * Every `needs` edge must bring a role the stage consumes, and every role it consumes
 * must come from one need (engine/roles.ts). A stage that declares no `consumes` takes
 * any input. Stages whose needs are unknown are left to the rules that report those.
 */
export const roleEdges: Rule = (ctx) => {
  const byId = new Map(ctx.stages.map((s) => [s.id, s]));
  return ctx.stages.flatMap((stage) => {
    const def = defOf(ctx, stage);
    if (def?.consumes === undefined) return [];
    const needs = [...new Set(stage.needs.map((n) => n.id))];
    const producers = needs.map((id) => defOf(ctx, byId.get(id)));
    if (producers.some((p) => p === undefined)) return [];
    const { bound, problems } = bindRoles(
      def.consumes,
      needs.map((need, i) => ({ need, produces: producers[i]!.produces })),
    );
    const open = def.consumes.filter((role) => bound[role] === undefined);
    // A wrong edge's hint already says what would fit; the roles it left open are not reported again.
    const wrongEdge = problems.some((p) => p.kind === 'not-consumed' || p.kind === 'untyped');
    return problems.filter((p) => !(wrongEdge && p.kind === 'missing')).map((problem) => diagnose(ctx, stage, def.consumes!, open, problem));
  });
};

function defOf(ctx: RuleContext, stage: StageView | undefined): StageDefinition | undefined {
  return stage?.uses !== undefined && Object.hasOwn(ctx.registry, stage.uses) ? ctx.registry[stage.uses] : undefined;
}

function diagnose(ctx: RuleContext, stage: StageView, consumes: readonly string[], open: readonly string[], problem: RoleProblem): Diagnostic {
  const consumed = `stage "${stage.id}" consumes ${roleList(consumes)}`;
  switch (problem.kind) {
    case 'not-consumed': {
      const path = needPath(stage, problem.need);
      const hint =
        consumes.length === 0
          ? `It reads no upstream output; remove "${problem.need}" from needs.`
          : open.length === 0
            ? `Its other needs provide every role it consumes; remove "${problem.need}" from needs.`
            : fitHint(ctx, stage, open);
      return makeDiagnostic(locate(ctx.root, path), `"${problem.need}" produces "${problem.produces}", but ${consumed}`, path, hint);
    }
    case 'untyped': {
      const path = needPath(stage, problem.need);
      const why =
        problem.open.length === 0 ? 'every role it consumes already comes from another need' : `it cannot tell which of ${roleList(problem.open)} that is`;
      return makeDiagnostic(
        locate(ctx.root, path),
        `"${problem.need}" declares no output role and ${consumed}: ${why}`,
        path,
        'Give that stage a `produces` role in its defineStage, or need the stage that produces the role.',
      );
    }
    case 'duplicate': {
      const path = needPath(stage, problem.need);
      return makeDiagnostic(
        locate(ctx.root, path),
        `stage "${stage.id}" needs two stages that produce "${problem.role}": "${problem.first}" and "${problem.need}"`,
        path,
        `A stage reads each role from one need; keep one of them.`,
      );
    }
    case 'missing': {
      const path = stage.needs.length === 0 ? ['stages', stage.id] : ['stages', stage.id, 'needs'];
      const at = locate(ctx.root, path, stage.needs.length === 0 ? 'key' : 'value');
      const from = stage.needs.length === 0 ? 'it has no needs' : `none of its needs (${listNames(stage.needs.map((n) => n.id))}) produces it`;
      return makeDiagnostic(at, `stage "${stage.id}" consumes "${problem.role}", but ${from}`, path, fitHint(ctx, stage, [problem.role]));
    }
  }
}

/** What would fit: the pipeline's stages that produce the roles, or else the registered stages that do. */
function fitHint(ctx: RuleContext, stage: StageView, roles: readonly string[]): string {
  const inPipeline = ctx.stages.filter((s) => s.id !== stage.id && roles.includes(defOf(ctx, s)?.produces ?? '')).map((s) => s.id);
  if (inPipeline.length > 0) return `Need a stage that produces ${roleList(roles, 'or')}: ${listNames(inPipeline)}.`;
  const registered = Object.keys(ctx.registry)
    .filter((name) => roles.includes(ctx.registry[name]!.produces ?? ''))
    .sort();
  const add = registered.length === 0 ? '' : ` (uses: ${registered.join(', ')})`;
  return `No stage in this pipeline produces ${roleList(roles, 'or')}; add one${add} and list it in needs.`;
}

function needPath(stage: StageView, id: string): (string | number)[] {
  return stage.needs.find((n) => n.id === id)?.path ?? ['stages', stage.id, 'needs'];
}

function roleList(roles: readonly string[], joiner = 'and'): string {
  const quoted = roles.map((r) => `"${r}"`);
  return quoted.length <= 1 ? (quoted[0] ?? 'nothing') : `${quoted.slice(0, -1).join(', ')} ${joiner} ${quoted.at(-1)}`;
}
