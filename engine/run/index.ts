export { executeRun, newRunId, type RunOptions, type RunResult } from './runner.ts';
export type { RunEvent, RunListener, RunEndSummary, StageCounts, SkipReason } from './events.ts';
export { describeSkip } from './events.ts';
export { SnapshotFiles, readFilesFromDisk, expandFilePattern } from './files.ts';
export { takeSnapshot, readSnapshot, type RunSnapshot } from './snapshot.ts';
export { prepareNodes, declaredFiles, explainChange, resultKey, type PreparedNode } from './keys.ts';
export { planRun, type StagePlan } from './plan.ts';
export { diffPipelines, type PipelineDiff, type PipelineSide, type StageInvalidation } from './diff.ts';
export { runOutputs } from './outputs.ts';
