import type { Counts } from '../suite/score.ts';
import type { Example, ExampleStatus } from '../example/index.ts';

export interface RunUsage {
  tokens: number;
  costUsd: number;
  latencyMs: number;
  calls: number;
}

/** What the CLI loads for one run: its examples and its model usage. */
export interface RunExamples {
  runId: string;
  variant: string | null;
  examples: Example[];
  /** The run's recorded usage; summed from the examples' classification usage when absent. */
  usage?: RunUsage;
}

export interface RunScore {
  runId: string;
  variant: string | null;
  /** Labeled sessions scored (the same set for both runs). */
  labeledSessions: number;
  overall: Counts;
  perAction: Record<string, Counts>;
  /** Share of action-matched spans whose parameters equal the label's (canonicalized). */
  paramExact: number;
  /** Examples per status. */
  statuses: Partial<Record<ExampleStatus, number>>;
  reviewFlags: { examples: number; spans: number };
  usage: RunUsage;
}

export interface ToolCallDiffLine {
  op: ' ' | '-' | '+';
  /** `name {"arg":...}` with canonical arguments. */
  call: string;
}

export interface SessionDiff {
  sessionId: string;
  statusA?: ExampleStatus;
  statusB?: ExampleStatus;
  diff: ToolCallDiffLine[];
}

export interface CompareReport {
  a: RunScore;
  b: RunScore;
  /** Sessions present in both runs. */
  sharedSessions: number;
  onlyInA: string[];
  onlyInB: string[];
  /** Shared sessions whose tool calls differ, with a diff A -> B. */
  disagreements: SessionDiff[];
}
