/**
 * Orders nodes so every node comes after the nodes it needs; among nodes that
 * are ready at the same time, the one written first in the file goes first.
 * Assumes no cycles and no unknown needs (the graph rules reject those).
 */
export function topologicalOrder<T extends { id: string; needs: readonly string[] }>(nodes: readonly T[]): T[] {
  const placed = new Set<string>();
  const remaining = [...nodes];
  const order: T[] = [];
  while (remaining.length > 0) {
    const index = remaining.findIndex((n) => n.needs.every((need) => placed.has(need)));
    if (index === -1) throw new Error(`unreachable: cycle among ${remaining.map((n) => n.id).join(', ')}`);
    const [next] = remaining.splice(index, 1);
    order.push(next!);
    placed.add(next!.id);
  }
  return order;
}
