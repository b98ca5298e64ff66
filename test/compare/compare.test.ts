import { describe, expect, it } from 'vitest';
import { compareRuns, type RunExamples } from '../../domain/compare/index.ts';
import { formatCompare } from '../../cli/commands/compare-text.ts';
import type { ClassifiedSpan } from '../../domain/session/classification.ts';
import type { Example } from '../../domain/example/index.ts';
import { archiveSpan, classification, sendSpan, synthesizeExample, timeline } from '../synthesize/fixtures.ts';

const span = (action: string, parameters: Record<string, unknown>, confidence = 0.9): ClassifiedSpan => ({
  action,
  startStep: 1,
  endStep: 2,
  parameters,
  confidence,
  evidence: [],
});
const search = span('search_emails', { query: 'invoice' });
const del42 = span('delete_email', { message_id: 'm-0042' });
const del1 = span('delete_email', { message_id: 'm-0001' });

const LABELS: Record<string, ClassifiedSpan[]> = { s1: [sendSpan, archiveSpan], s2: [search], s3: [del1] };

async function runOf(predictions: Record<string, ClassifiedSpan[]>): Promise<Example[]> {
  const out: Example[] = [];
  for (const [id, spans] of Object.entries(predictions)) {
    const labels = LABELS[id]!.map((s) => ({ action: s.action, parameters: s.parameters }));
    out.push(await synthesizeExample({ sessionId: id, classification: classification(id, spans), timeline: timeline(id, { labels }) }));
  }
  return out;
}

async function pair(): Promise<[RunExamples, RunExamples]> {
  const a = await runOf({ s1: [sendSpan, archiveSpan], s2: [search], s3: [] });
  const b = await runOf({
    s1: [{ ...sendSpan, parameters: { ...sendSpan.parameters, subject: 'Q4 numbers' } }, archiveSpan],
    s2: [search, del42],
    s3: [{ ...del1, confidence: 0.5 }],
  });
  return [
    { runId: 'run-a', variant: 'rules', examples: a, usage: { tokens: 0, costUsd: 0, latencyMs: 12, calls: 0 } },
    { runId: 'run-b', variant: 'strong', examples: b },
  ];
}

describe('compareRuns', () => {
  it('scores both runs against the labels, overall and per action', async () => {
    const [a, b] = await pair();
    const r = compareRuns(a, b);
    expect(r.a.labeledSessions).toBe(3);
    expect(r.a.overall).toMatchObject({ tp: 3, fp: 0, fn: 1, precision: 1, recall: 0.75 });
    expect(r.a.overall.f1).toBeCloseTo(6 / 7, 10);
    expect(r.a.paramExact).toBe(1);
    expect(r.b.overall).toMatchObject({ tp: 4, fp: 1, fn: 0, precision: 0.8, recall: 1 });
    expect(r.b.overall.f1).toBeCloseTo(8 / 9, 10);
    expect(r.b.paramExact).toBe(0.75);
    expect(r.a.perAction['delete_email']).toMatchObject({ tp: 0, fp: 0, fn: 1, recall: 0, f1: 0 });
    expect(r.b.perAction['delete_email']).toMatchObject({ tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 });
    expect(Object.keys(r.b.perAction)).toEqual(['delete_email', 'modify_labels', 'search_emails', 'send_email']);
  });

  it('counts review flags and statuses, and takes usage from the run or sums it from the examples', async () => {
    const [a, b] = await pair();
    const r = compareRuns(a, b);
    expect(r.a.statuses).toEqual({ COMPLETED: 2, FAILED: 1 });
    expect(r.b.statuses).toEqual({ COMPLETED: 2, NEEDS_REVIEW: 1 });
    expect(r.a.reviewFlags).toEqual({ examples: 0, spans: 0 });
    expect(r.b.reviewFlags).toEqual({ examples: 1, spans: 1 });
    expect(r.a.usage).toEqual({ tokens: 0, costUsd: 0, latencyMs: 12, calls: 0 });
    expect(r.b.usage.tokens).toBe(3 * 1350);
    expect(r.b.usage.costUsd).toBeCloseTo(0.0036, 10);
    expect(r.b.usage).toMatchObject({ latencyMs: 2550, calls: 3 });
  });

  it('lists the sessions whose tool calls differ, with a diff', async () => {
    const [a, b] = await pair();
    const r = compareRuns(a, b);
    expect(r.sharedSessions).toBe(3);
    expect(r.disagreements.map((d) => d.sessionId)).toEqual(['s1', 's2', 's3']);
    expect(r.disagreements[0]!.diff).toEqual([
      { op: '-', call: 'gmail_send_message {"body":"Attached.","cc":[],"format":"text","recipients":["ana@example.com"],"subject":"Q3 numbers"}' },
      { op: '+', call: 'gmail_send_message {"body":"Attached.","cc":[],"format":"text","recipients":["ana@example.com"],"subject":"Q4 numbers"}' },
      { op: ' ', call: 'gmail_modify_labels {"add_label_ids":[],"message_id":"m-0007","remove_label_ids":["INBOX"]}' },
    ]);
    expect(r.disagreements[2]).toMatchObject({ statusA: 'FAILED', statusB: 'NEEDS_REVIEW' });
    expect(compareRuns(a, a).disagreements).toEqual([]);
    const partial = compareRuns(a, { ...b, examples: b.examples.slice(0, 2) });
    expect(partial.onlyInA).toEqual(['s3']);
    expect(partial.b.overall.fn).toBe(1); // a labeled session missing from a run counts as misses
  });

  it('formats a readable table', async () => {
    const [a, b] = await pair();
    const text = formatCompare(compareRuns(a, b));
    expect(text.split('\n').slice(0, 17).join('\n')).toBe(
      [
        'A: run-a (rules)',
        'B: run-b (strong)',
        'scored against the labels of 3 session(s)',
        '',
        '                                  A          B',
        'precision                     1.000      0.800',
        'recall                        0.750      1.000',
        'F1                            0.857      0.889',
        'parameter exact match         1.000      0.750',
        'tp / fp / fn              3 / 0 / 1  4 / 1 / 0',
        'examples needing review           0          1',
        'spans flagged for review          0          1',
        'tokens                            0      4,050',
        'cost                             $0    $0.0036',
        'model latency                 12 ms      2.6 s',
        'model calls                       0          3',
        '',
      ].join('\n'),
    );
    expect(text).toContain('delete_email     1.000 0.000 0.000  0.500 1.000 0.667');
    expect(text).toContain('sessions the runs disagree on: 3 of 3\n  s1\n    - gmail_send_message');
    expect(text).toContain('  s3 (FAILED -> NEEDS_REVIEW)\n    + gmail_trash_message {"message_id":"m-0001","reason":"deleted m-0001 at the user\'s request"}');
  });
});
