import type { Example } from './example/example.ts';
import type { Classification } from './session/classification.ts';
import type { LoadedSession } from './session/loaded.ts';
import type { Timeline } from './session/timeline.ts';

/**
 * The contracts between the built-in stages: what each role a stage `consumes` or
 * `produces` holds. load produces a session, normalize turns a session into a
 * timeline, classify a timeline into a classification, synthesize both into an
 * example, which write-examples passes on and dataset reads.
 */
export interface RoleOutputs {
  session: LoadedSession;
  timeline: Timeline;
  classification: Classification;
  example: Example;
}

export type Role = keyof RoleOutputs;

/** What a stage reads by role: `Consumes<'timeline'>` is `{timeline: Timeline}`, the `In` of `defineStage`. */
export type Consumes<R extends Role> = Pick<RoleOutputs, R>;
