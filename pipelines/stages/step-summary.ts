// A pipeline's own stage: `uses: ./stages/step-summary.ts` in pipelines/custom-stages.yaml.
// Its text (and that of any local file it imports) is part of the cache key, so
// editing it reruns this stage and what follows, and `tracepipe plan` says why.
import { defineStage } from 'tracepipe';
import { z } from 'zod';

const Options = z.strictObject({
  /** Gaps between steps longer than this count as idle time. */
  idleAfterSeconds: z.number().positive().default(5),
});

/** The part of a normalized timeline this stage reads. */
interface Timeline {
  sessionId: string;
  steps: { kind: string; t0: number; t1: number }[];
}

// The second type argument types `ctx.upstream`: what this stage consumes, by role.
export default defineStage<z.infer<typeof Options>, { timeline: Timeline }>({
  name: 'step-summary',
  version: '1',
  kind: 'map',
  description: 'How many steps of each kind a session has, and how long it was busy and idle',
  options: Options,
  // Read from the need whose stage produces a timeline (normalize); `tracepipe validate` rejects any other.
  consumes: ['timeline'],
  produces: 'step-summary',
  run: (ctx) => {
    const timeline = ctx.upstream.timeline.output;
    const kinds: Record<string, number> = {};
    let idleMs = 0;
    timeline.steps.forEach((step, i) => {
      kinds[step.kind] = (kinds[step.kind] ?? 0) + 1;
      const gap = i === 0 ? 0 : step.t0 - timeline.steps[i - 1]!.t1;
      if (gap > ctx.options.idleAfterSeconds * 1000) idleMs += gap;
    });
    const first = timeline.steps[0];
    const last = timeline.steps.at(-1);
    const spanMs = first === undefined || last === undefined ? 0 : last.t1 - first.t0;
    return { session: timeline.sessionId, steps: timeline.steps.length, kinds, spanMs, idleMs };
  },
});
