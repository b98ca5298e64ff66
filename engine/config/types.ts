/**
 * The resolved pipeline: what the config loader hands the runner after parsing,
 * interpolation, variants, --set overrides and validation. All paths are absolute.
 */
export interface ResolvedPipeline {
  /** Absolute path of the YAML file (or a label such as `<snapshot of run X>`). */
  file: string;
  /** Directory that relative paths in the file resolve against. */
  dir: string;
  name: string;
  /** The variant applied, or null for the base pipeline. */
  variant: string | null;
  /** Where the items come from. `path` is an absolute glob; other keys are passed through to stages. */
  sessions: { path: string; [key: string]: unknown };
  /** Absolute path of the suite file, when the pipeline names one. */
  suite?: string;
  /** How many items are processed at once. */
  concurrency: number;
  /** Directory write stages put their outputs in (absolute). */
  outDir: string;
  /** Directory of the cache database (absolute). */
  cacheDir: string;
  /** Named model configurations; opaque to the engine except that each is an object. */
  models: Record<string, Record<string, unknown>>;
  /** Named action-tool maps, loaded from file when given as a path. */
  actionToolMaps: Record<string, ResourceRef>;
  /** Stage nodes in a topological order (needs before dependents, ties in file order). */
  stages: StageNode[];
}

export interface ResourceRef {
  name: string;
  /** File the resource was loaded from, if it was given as a path. */
  file?: string;
  value: unknown;
}

export interface StageNode {
  id: string;
  uses: string;
  needs: string[];
  /** Options after validation against the stage's own schema (defaults applied). */
  with: Record<string, unknown>;
  model?: { name: string; config: Record<string, unknown> };
  actionToolMap?: ResourceRef;
  /** Absolute path of the node's main prompt template. */
  prompt?: string;
  thresholds?: Record<string, number>;
  /** Per-stage cap on concurrently running items. */
  concurrency?: number;
}

/** A problem found while loading or validating a pipeline, with its place in the file. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** Length of the underlined span (at least 1). */
  length: number;
  message: string;
  hint?: string;
  /** The YAML path of the offending node, e.g. ['stages', 'classify', 'model']. */
  path: (string | number)[];
}
