export { synthesizeStage, DEFAULT_REVIEW_THRESHOLD } from './stage.ts';
export { SynthesizeOptions } from './options.ts';
