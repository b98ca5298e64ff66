import type { CompareReport, RunScore } from '../../domain/compare/index.ts';
import type { Counts } from '../../domain/suite/score.ts';
import { formatDuration, formatTokens, formatUsd } from '../../web/pages/assets/format.js';

const f3 = (n: number) => n.toFixed(3);
const prf = (c: Counts | undefined) => (c ? `${f3(c.precision)} ${f3(c.recall)} ${f3(c.f1)}` : '-');
const runName = (r: RunScore) => (r.variant ? `${r.runId} (${r.variant})` : r.runId);

/** The report as a plain-text table for `tracepipe compare`. */
export function formatCompare(report: CompareReport): string {
  const { a, b } = report;
  const out: string[] = [];
  out.push(`A: ${runName(a)}`, `B: ${runName(b)}`, `scored against the labels of ${a.labeledSessions} session(s)`, '');
  const rows: [string, string, string][] = [
    ['', 'A', 'B'],
    ['precision', f3(a.overall.precision), f3(b.overall.precision)],
    ['recall', f3(a.overall.recall), f3(b.overall.recall)],
    ['F1', f3(a.overall.f1), f3(b.overall.f1)],
    ['parameter exact match', f3(a.paramExact), f3(b.paramExact)],
    ['tp / fp / fn', `${a.overall.tp} / ${a.overall.fp} / ${a.overall.fn}`, `${b.overall.tp} / ${b.overall.fp} / ${b.overall.fn}`],
    ['examples needing review', String(a.reviewFlags.examples), String(b.reviewFlags.examples)],
    ['spans flagged for review', String(a.reviewFlags.spans), String(b.reviewFlags.spans)],
    ['tokens', formatTokens(a.usage.tokens), formatTokens(b.usage.tokens)],
    ['cost', formatUsd(a.usage.costUsd), formatUsd(b.usage.costUsd)],
    ['model latency', formatDuration(a.usage.latencyMs), formatDuration(b.usage.latencyMs)],
    ['model calls', String(a.usage.calls), String(b.usage.calls)],
  ];
  out.push(...table(rows), '');
  const actions = [...new Set([...Object.keys(a.perAction), ...Object.keys(b.perAction)])].sort();
  if (actions.length > 0) {
    out.push(...table([['action (P R F1)', 'A', 'B'], ...actions.map((x): [string, string, string] => [x, prf(a.perAction[x]), prf(b.perAction[x])])]), '');
  }
  out.push(`sessions the runs disagree on: ${report.disagreements.length} of ${report.sharedSessions}`);
  for (const d of report.disagreements) {
    out.push(`  ${d.sessionId}${d.statusA !== d.statusB ? ` (${d.statusA} -> ${d.statusB})` : ''}`);
    for (const line of d.diff) out.push(`    ${line.op} ${line.call}`);
  }
  if (report.onlyInA.length > 0) out.push(`only in A: ${report.onlyInA.join(', ')}`);
  if (report.onlyInB.length > 0) out.push(`only in B: ${report.onlyInB.join(', ')}`);
  return out.join('\n');
}

function table(rows: [string, string, string][]): string[] {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const w2 = Math.max(...rows.map((r) => r[2].length));
  return rows.map((r) => `${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2].padStart(w2)}`.trimEnd());
}
