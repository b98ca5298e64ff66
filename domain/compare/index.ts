export { compareRuns } from './compare.ts';
export type { CompareReport, RunExamples, RunScore, RunUsage, SessionDiff, ToolCallDiffLine } from './types.ts';
