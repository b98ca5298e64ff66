/**
 * What a pipeline's own stage module imports (`import { defineStage } from 'tracepipe'`):
 * the stage helper and the stage contract's types.
 */
export { defineStage } from './engine/stage.ts';
export type {
  AggregateContext,
  AggregateEntry,
  AggregateStage,
  Annotation,
  ArtifactStore,
  Env,
  EstimateContext,
  FileSet,
  Item,
  MapContext,
  MapStage,
  Memo,
  Metrics,
  OutputFiles,
  StageDefinition,
  StageIssue,
  StageOptions,
  StageOutput,
  Upstream,
  Upstreams,
} from './engine/stage.ts';
export type { ResolvedPipeline, StageNode } from './engine/config/types.ts';
