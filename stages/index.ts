import type { StageRegistry } from '../engine/stage.ts';

/** The built-in stages, keyed by the name pipelines use in `uses:`. */
export const builtinStages = {} as const satisfies StageRegistry;
