import type { PreparedNode } from './keys.ts';

/**
 * Splits nodes (already in topological order) at aggregate barriers: a node's level
 * is one more than any aggregate it needs, so map stages of one level run per item
 * without waiting, and each level's aggregates run once its map stages are done.
 */
export function levelsOf(nodes: PreparedNode[]): PreparedNode[][] {
  const level = new Map<string, number>();
  const kind = new Map(nodes.map((n) => [n.node.id, n.def.kind]));
  for (const n of nodes) {
    let l = 0;
    for (const need of n.node.needs) l = Math.max(l, (level.get(need) ?? 0) + (kind.get(need) === 'aggregate' ? 1 : 0));
    level.set(n.node.id, l);
  }
  const out: PreparedNode[][] = [];
  for (const n of nodes) (out[level.get(n.node.id)!] ??= []).push(n);
  return out.filter((l) => l !== undefined);
}
