/**
 * How a stage's `needs` meet the roles it consumes. A stage declares the roles it
 * reads (`consumes: ['timeline']`) and the role of its output (`produces:
 * 'classification'`); roles are names the stages choose, the engine only matches
 * them. The config validator reports every problem this finds at the `needs` entry,
 * and the runner hands each stage its upstream by role from the same binding.
 */

/** One `needs` edge as the binding sees it: the upstream stage id and the role its stage produces (undefined: it declares none). */
export interface RoleEdge {
  need: string;
  produces: string | undefined;
}

export type RoleProblem =
  /** The need's output is a role the stage does not consume. */
  | { kind: 'not-consumed'; need: string; produces: string }
  /** The need declares no role, and there is not exactly one role left for it (`open`: the roles no need provides). */
  | { kind: 'untyped'; need: string; open: string[] }
  /** A second need produces a role an earlier need already provides. */
  | { kind: 'duplicate'; role: string; need: string; first: string }
  /** No need provides a role the stage consumes. */
  | { kind: 'missing'; role: string };

export interface RoleBinding {
  /** Role -> the id of the need that provides it. */
  bound: Record<string, string>;
  problems: RoleProblem[];
}

/**
 * Binds each consumed role to the one need that produces it. A stage that declares
 * no `consumes` takes any input, so nothing is checked. A need whose stage declares
 * no role (a command stage, an untyped module) stands in for the one role left
 * unbound, when exactly one is left for exactly one such need.
 */
export function bindRoles(consumes: readonly string[] | undefined, edges: readonly RoleEdge[]): RoleBinding {
  const bound: Record<string, string> = {};
  const problems: RoleProblem[] = [];
  if (consumes === undefined) return { bound, problems };
  const untyped: string[] = [];
  for (const edge of edges) {
    if (edge.produces === undefined) untyped.push(edge.need);
    else if (!consumes.includes(edge.produces)) problems.push({ kind: 'not-consumed', need: edge.need, produces: edge.produces });
    else if (bound[edge.produces] !== undefined) problems.push({ kind: 'duplicate', role: edge.produces, need: edge.need, first: bound[edge.produces]! });
    else bound[edge.produces] = edge.need;
  }
  const open = consumes.filter((role) => bound[role] === undefined);
  if (open.length === 1 && untyped.length === 1) bound[open[0]!] = untyped[0]!;
  else for (const need of untyped) problems.push({ kind: 'untyped', need, open });
  for (const role of consumes) if (bound[role] === undefined) problems.push({ kind: 'missing', role });
  return { bound, problems };
}
