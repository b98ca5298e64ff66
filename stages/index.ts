import type { StageRegistry } from '../engine/stage.ts';
import { loadStage } from './load/index.ts';
import { normalizeStage } from './normalize/index.ts';
import { classifyStage } from './classify/index.ts';
import { synthesizeStage } from './synthesize/index.ts';
import { writeExamplesStage } from './write/index.ts';
import { datasetStage } from './dataset/index.ts';

/** The built-in stages, keyed by the name pipelines use in `uses:`. */
export const builtinStages = {
  load: loadStage,
  normalize: normalizeStage,
  classify: classifyStage,
  synthesize: synthesizeStage,
  'write-examples': writeExamplesStage,
  dataset: datasetStage,
} as const satisfies StageRegistry;
