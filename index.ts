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
} from './engine/stage.ts';
export type { ResolvedPipeline, StageNode } from './engine/config/types.ts';
