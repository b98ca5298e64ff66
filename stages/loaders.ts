/**
 * The built-in stages, keyed by the name pipelines use in `uses:`, each loaded on
 * first use: a command imports only the stages its pipeline names (and their
 * libraries: sharp, openai, ...), `tracepipe --help` none.
 */
export const builtinStageLoaders = {
  load: async () => (await import('./load/index.ts')).loadStage,
  normalize: async () => (await import('./normalize/index.ts')).normalizeStage,
  // the stage alone: classify/index.ts also exports the openai provider, which loads the SDK
  classify: async () => (await import('./classify/stage.ts')).classifyStage,
  synthesize: async () => (await import('./synthesize/index.ts')).synthesizeStage,
  'write-examples': async () => (await import('./write/index.ts')).writeExamplesStage,
  // the stage alone: dataset/index.ts also exports the validator and the chat template
  dataset: async () => (await import('./dataset/stage.ts')).datasetStage,
  exec: async () => (await import('./exec/index.ts')).execStage,
} as const;

export type BuiltinStageName = keyof typeof builtinStageLoaders;
