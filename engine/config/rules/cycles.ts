import type { Rule, StageView } from './rule-context.ts';
import { locate } from '../located.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';

/** The `needs` edges must not loop; each loop is named once, starting from its earliest stage in the file. */
export const cycles: Rule = (ctx) => {
  const byId = new Map(ctx.stages.map((s) => [s.id, s]));
  const state = new Map<string, 'active' | 'done'>();
  const stack: StageView[] = [];
  const found = new Map<string, StageView[]>();

  const visit = (stage: StageView): void => {
    state.set(stage.id, 'active');
    stack.push(stage);
    for (const need of stage.needs) {
      const next = byId.get(need.id);
      if (next === undefined) continue;
      if (state.get(next.id) === 'active') {
        const loop = stack.slice(stack.indexOf(next));
        const canonical = rotateToEarliest(loop);
        found.set(canonical.map((s) => s.id).join('>'), canonical);
      } else if (!state.has(next.id)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(stage.id, 'done');
  };
  for (const stage of ctx.stages) if (!state.has(stage.id)) visit(stage);

  return [...found.values()].map((loop) => {
    const first = loop[0]!;
    const second = loop[1] ?? first;
    // Loops are found walking dependents → dependencies, so point at first's `needs` entry naming the next stage.
    const edge = first.needs.find((n) => n.id === second.id)!;
    const names = [...loop, first].map((s) => s.id).join(' -> ');
    return makeDiagnostic(
      locate(ctx.root, edge.path),
      `cycle: ${names}`,
      edge.path,
      'A stage cannot depend on itself, directly or through other stages; remove one of these `needs`.',
    );
  });
};

function rotateToEarliest(loop: StageView[]): StageView[] {
  let min = 0;
  loop.forEach((s, i) => {
    if (s.index < loop[min]!.index) min = i;
  });
  return [...loop.slice(min), ...loop.slice(0, min)];
}
