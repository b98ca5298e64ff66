import { diffArrays } from 'diff';
import { canonicalJson } from '../../engine/hash.ts';
import { counts, scoreSpans } from '../suite/score.ts';
import { toolCallParts, toolCallsOf, type Example, type ExampleStatus } from '../example/index.ts';
import type { CompareReport, RunExamples, RunScore, RunUsage, SessionDiff, ToolCallDiffLine } from './types.ts';

/**
 * Compares two runs: each run's action precision/recall/F1 (overall and per action)
 * and parameter exact-match rate against the sessions' labels, the sessions whose
 * tool calls differ (with a diff), review flags, and usage. Scores are of the
 * examples as they stand, after review decisions; a labeled session a run has no
 * example for counts as all misses for that run.
 */
export function compareRuns(a: RunExamples, b: RunExamples): CompareReport {
  const byA = bySession(a.examples);
  const byB = bySession(b.examples);
  const labels = new Map<string, NonNullable<Example['labels']>>();
  for (const ex of [...a.examples, ...b.examples]) if (ex.labels && !labels.has(ex.sessionId)) labels.set(ex.sessionId, ex.labels);
  const labeled = [...labels.keys()].sort();

  const shared = [...byA.keys()].filter((s) => byB.has(s)).sort();
  const disagreements: SessionDiff[] = [];
  for (const sessionId of shared) {
    const ea = byA.get(sessionId) as Example;
    const eb = byB.get(sessionId) as Example;
    const diff = diffCalls(callLines(ea), callLines(eb));
    if (diff.some((d) => d.op !== ' ')) disagreements.push({ sessionId, statusA: ea.status, statusB: eb.status, diff });
  }
  return {
    a: scoreRun(a, byA, labels, labeled),
    b: scoreRun(b, byB, labels, labeled),
    sharedSessions: shared.length,
    onlyInA: [...byA.keys()].filter((s) => !byB.has(s)).sort(),
    onlyInB: [...byB.keys()].filter((s) => !byA.has(s)).sort(),
    disagreements,
  };
}

function bySession(examples: readonly Example[]): Map<string, Example> {
  return new Map(examples.map((e) => [e.sessionId, e]));
}

function scoreRun(run: RunExamples, examples: Map<string, Example>, labels: Map<string, NonNullable<Example['labels']>>, labeled: string[]): RunScore {
  const perAction: Record<string, { tp: number; fp: number; fn: number }> = {};
  let tp = 0,
    fp = 0,
    fn = 0,
    exactTp = 0;
  for (const sessionId of labeled) {
    const predicted = (examples.get(sessionId)?.spans ?? []).map((s) => ({ action: s.action, parameters: s.parameters }));
    const score = scoreSpans(predicted, labels.get(sessionId) ?? []);
    tp += score.tp;
    fp += score.fp;
    fn += score.fn;
    exactTp += score.exact.tp;
    for (const [action, c] of Object.entries(score.perAction)) {
      const acc = (perAction[action] ??= { tp: 0, fp: 0, fn: 0 });
      acc.tp += c.tp;
      acc.fp += c.fp;
      acc.fn += c.fn;
    }
  }
  const statuses: Partial<Record<ExampleStatus, number>> = {};
  let flaggedSpans = 0;
  for (const ex of examples.values()) {
    statuses[ex.status] = (statuses[ex.status] ?? 0) + 1;
    flaggedSpans += ex.spans.filter((s) => s.flagged).length;
  }
  return {
    runId: run.runId,
    variant: run.variant,
    labeledSessions: labeled.length,
    overall: counts(tp, fp, fn),
    perAction: Object.fromEntries(
      Object.keys(perAction)
        .sort()
        .map((k) => {
          const c = perAction[k]!;
          return [k, counts(c.tp, c.fp, c.fn)];
        }),
    ),
    paramExact: tp === 0 ? 1 : exactTp / tp,
    statuses,
    reviewFlags: { examples: statuses.NEEDS_REVIEW ?? 0, spans: flaggedSpans },
    usage: run.usage ?? usageOf(examples.values()),
  };
}

function usageOf(examples: Iterable<Example>): RunUsage {
  const u: RunUsage = { tokens: 0, costUsd: 0, latencyMs: 0, calls: 0 };
  for (const ex of examples) {
    if (!ex.usage) continue;
    u.tokens += ex.usage.promptTokens + ex.usage.completionTokens;
    u.costUsd += ex.usage.costUsd;
    u.latencyMs += ex.usage.latencyMs;
    u.calls += ex.usage.calls;
  }
  return u;
}

function callLines(ex: Example): string[] {
  return toolCallsOf(ex.messages).map((c) => {
    const { name, arguments: args } = toolCallParts(c);
    return `${name} ${canonicalJson(args)}`;
  });
}

function diffCalls(a: string[], b: string[]): ToolCallDiffLine[] {
  return diffArrays(a, b).flatMap((part) => part.value.map((call): ToolCallDiffLine => ({ op: part.added ? '+' : part.removed ? '-' : ' ', call })));
}
