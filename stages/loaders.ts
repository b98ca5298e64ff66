/**
 * The built-in stages, keyed by the name pipelines use in `uses:`, each loaded on
 * first use: a command imports only the stages its pipeline names (and their
 * libraries: sharp, openai, ...), `tracepipe --help` none.
 */
export const builtinStageLoaders = {
  load: async () => (await import('./load/index.ts')).loadStage,
  normalize: async () => (await import('./normalize/index.ts')).normalizeStage,
  classify: async () => (await import('./classify/index.ts')).classifyStage,
  synthesize: async () => (await import('./synthesize/index.ts')).synthesizeStage,
  'write-examples': async () => (await import('./write/index.ts')).writeExamplesStage,
  dataset: async () => (await import('./dataset/index.ts')).datasetStage,
  exec: async () => (await import('./exec/index.ts')).execStage,
} as const;

export type BuiltinStageName = keyof typeof builtinStageLoaders;
