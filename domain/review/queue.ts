import { toolCallsOf, type Example } from '../example/example.ts';

/** A span waiting for a person's decision. */
export interface ReviewQueueEntry {
  exampleId: string;
  sessionId: string;
  /** Index of the span in the classification: what a decision refers to. */
  spanIndex: number;
  action: string;
  parameters: Record<string, unknown>;
  confidence: number;
  startStep: number;
  endStep: number;
  evidence: string[];
  /** Where a decision is stored: the classify stage id and its result's cache key. */
  subject: { stage: string; key: string };
}

/** Flagged spans across examples, lowest confidence first (ties: session, span). */
export function reviewQueue(examples: readonly Example[]): ReviewQueueEntry[] {
  const entries: ReviewQueueEntry[] = [];
  for (const ex of examples) {
    for (const s of ex.spans) {
      if (!s.flagged) continue;
      entries.push({
        exampleId: ex.id,
        sessionId: ex.sessionId,
        spanIndex: s.index,
        action: s.action,
        parameters: s.parameters,
        confidence: s.confidence,
        startStep: s.startStep,
        endStep: s.endStep,
        evidence: s.evidence,
        subject: ex.provenance.reviewSubject,
      });
    }
  }
  return entries.sort((a, b) => a.confidence - b.confidence || a.sessionId.localeCompare(b.sessionId) || a.spanIndex - b.spanIndex);
}

/** The queue as aligned text lines for `tracepipe review list`. */
export function formatReviewQueue(entries: readonly ReviewQueueEntry[]): string {
  if (entries.length === 0) return 'review queue is empty';
  const rows = entries.map((e) => [
    e.sessionId,
    String(e.spanIndex),
    e.action,
    e.confidence.toFixed(2),
    e.startStep === e.endStep ? `${e.startStep}` : `${e.startStep}-${e.endStep}`,
    JSON.stringify(e.parameters),
  ]);
  const header = ['session', 'span', 'action', 'conf', 'steps', 'parameters'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : (r[i] ?? '').length))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** One queue entry in full, for `tracepipe review show`: the span, its evidence and the tool call it became. */
export function formatReviewEntry(entry: ReviewQueueEntry, example?: Example): string {
  const lines = [
    `session     ${entry.sessionId} (example ${entry.exampleId})`,
    `span        #${entry.spanIndex}: ${entry.action}, steps ${entry.startStep}-${entry.endStep}, confidence ${entry.confidence.toFixed(2)}`,
    `parameters  ${JSON.stringify(entry.parameters, null, 2).split('\n').join('\n            ')}`,
    `evidence    ${entry.evidence.length > 0 ? entry.evidence.join('\n            ') : '(none)'}`,
  ];
  const call = example?.provenance.toolCalls.find((t) => t.spanIndex === entry.spanIndex);
  if (example && call) {
    const msg = toolCallsOf(example.messages).find((c) => c.id === call.toolCallId);
    if (msg) {
      const { name, args } =
        'function' in msg ? { name: msg.function.name, args: msg.function.arguments } : { name: msg.name, args: JSON.stringify(msg.arguments) };
      lines.push(`tool call   ${name} ${args}`);
    }
    lines.push(`events      ${call.sourceEvents.join(', ') || '(none)'}`);
  }
  if (example?.labels) lines.push(`labels      ${example.labels.map((l) => `${l.action} ${JSON.stringify(l.parameters)}`).join('\n            ')}`);
  lines.push(`decision    stored on the ${entry.subject.stage} result ${entry.subject.key}`);
  return lines.join('\n');
}
