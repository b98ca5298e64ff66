import type { Annotation, Upstreams } from '../stage.ts';

/**
 * A stage's upstream by role (`ctx.upstream`), from its role binding and the same
 * per-stage-id inputs, keys and decisions the run gathered; an output is read only
 * when the stage reads it, so building this costs no parse.
 */
export function upstreamByRole(
  bound: Readonly<Record<string, string>>,
  inputs: Record<string, unknown>,
  keys: Record<string, string>,
  annotations: Record<string, Annotation[]>,
): Upstreams<Record<string, unknown>> {
  const out: Record<string, Upstreams<Record<string, unknown>>[string]> = {};
  for (const [role, stage] of Object.entries(bound)) {
    out[role] = {
      stage,
      get output() {
        return inputs[stage];
      },
      key: keys[stage] ?? '',
      annotations: annotations[stage] ?? [],
    };
  }
  return out;
}
