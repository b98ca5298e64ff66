import type { PreparedNode } from './keys.ts';

/**
 * Splits nodes (already in topological order) at barriers: a node's level is one more
 * than any aggregate, or any map stage with a uniqueness rule, that it needs. Map stages
 * of one level run per item without waiting; each level's aggregates run, and its
 * uniqueness rules are checked, once its map stages are done.
 */
export function levelsOf(nodes: PreparedNode[]): PreparedNode[][] {
  const level = new Map<string, number>();
  const barrier = new Set(nodes.filter((n) => n.def.kind === 'aggregate' || n.def.uniqueBy !== undefined).map((n) => n.node.id));
  for (const n of nodes) {
    let l = 0;
    for (const need of n.node.needs) l = Math.max(l, (level.get(need) ?? 0) + (barrier.has(need) ? 1 : 0));
    level.set(n.node.id, l);
  }
  const out: PreparedNode[][] = [];
  for (const n of nodes) (out[level.get(n.node.id)!] ??= []).push(n);
  return out.filter((l) => l !== undefined);
}
