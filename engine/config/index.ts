export { loadPipeline, loadPipelineFromText, type LoadOptions, type TextLoadOptions, type LoadResult } from './load-pipeline.ts';
export { listVariants } from './variants.ts';
export { formatDiagnostic, formatDiagnostics, type FormatOptions } from './diagnostics.ts';
export { pipelineJsonSchema, pipelineSchemaText, writePipelineSchema } from './schema.ts';
export { pipelineSchema, type PipelineConfig } from './pipeline-schema.ts';
export { describeZodIssues, firstZodIssue, type IssueText } from './zod-issues.ts';
export type { Env } from './interpolate.ts';
export type { Diagnostic, ResolvedPipeline, ResourceRef, StageNode } from './types.ts';
