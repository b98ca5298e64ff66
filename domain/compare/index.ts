export { compareRuns } from './compare.ts';
export { formatCompare } from './format.ts';
export type { CompareReport, RunExamples, RunScore, RunUsage, SessionDiff, ToolCallDiffLine } from './types.ts';
