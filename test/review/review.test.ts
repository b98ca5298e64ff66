import { describe, expect, it } from 'vitest';
import { applyReviewDecisions, formatReviewEntry, formatReviewQueue, latestDecisions, reviewPayload, reviewQueue } from '../../domain/review/index.ts';
import type { Annotation } from '../../engine/stage.ts';
import { archiveSpan, classification, review, sendSpan, synthesizeExample, timeline } from '../synthesize/fixtures.ts';

describe('review decisions', () => {
  it('the latest decision per span wins, whatever the list order', () => {
    const anns: Annotation[] = [
      review(0, 'accept', '2026-01-03T00:00:00Z'),
      review(0, 'reject', '2026-01-02T00:00:00Z'),
      review(1, 'reject', '2026-01-01T00:00:00Z'),
    ];
    const { decisions, invalid } = latestDecisions(anns);
    expect(decisions.get(0)?.decision).toBe('accept');
    expect(decisions.get(1)?.decision).toBe('reject');
    expect(invalid).toEqual([]);
  });

  it('applies accept, fix and reject, and flags undecided low-confidence spans', () => {
    const spans = [
      { ...sendSpan, confidence: 0.5 },
      { ...archiveSpan, confidence: 0.5 },
      { ...archiveSpan, confidence: 0.5 },
      { ...archiveSpan, confidence: 0.1 },
    ];
    const { decisions } = latestDecisions([
      review(0, 'accept', '2026-01-01T00:00:00Z'),
      review(1, 'fix', '2026-01-01T00:00:00Z', { action: 'delete_email', parameters: { message_id: 'm-0007' }, reviewer: 'bo' }),
    ]);
    const r = applyReviewDecisions(spans, decisions, { review: 0.7, drop: 0.2 });
    expect(r.kept.map((s) => [s.index, s.action, s.flagged, s.review?.decision])).toEqual([
      [0, 'send_email', false, 'accept'],
      [1, 'delete_email', false, 'fix'],
      [2, 'modify_labels', true, undefined],
    ]);
    expect(r.kept[1]?.parameters).toEqual({ message_id: 'm-0007' });
    expect(r.kept[1]?.review?.reviewer).toBe('bo');
    expect(r.dropped).toEqual([{ index: 3, action: 'modify_labels', reason: 'below_drop' }]);
  });

  it('validates payloads the CLI stores', () => {
    expect(reviewPayload({ span: 2, decision: 'fix', parameters: { query: 'x' } })).toEqual({ span: 2, decision: 'fix', parameters: { query: 'x' } });
    expect(() => reviewPayload({ span: 2, decision: 'accept', action: 'x' })).toThrow('only a "fix" decision carries an action or parameters');
    expect(() => reviewPayload({ span: 2, decision: 'fix' })).toThrow('a "fix" decision needs an action, parameters or both');
    expect(() => reviewPayload({ span: -1, decision: 'accept' })).toThrow();
  });
});

describe('review queue', () => {
  it('lists flagged spans across examples, lowest confidence first, with where to store a decision', async () => {
    const a = await synthesizeExample({
      sessionId: 'sess-a',
      classification: classification('sess-a', [sendSpan, { ...archiveSpan, confidence: 0.6 }]),
      timeline: timeline('sess-a'),
    });
    const b = await synthesizeExample({
      sessionId: 'sess-b',
      classification: classification('sess-b', [{ ...sendSpan, confidence: 0.3 }]),
      timeline: timeline('sess-b'),
    });
    const c = await synthesizeExample({ sessionId: 'sess-c' });
    const queue = reviewQueue([a, b, c]);
    expect(queue.map((e) => [e.sessionId, e.spanIndex, e.action, e.confidence])).toEqual([
      ['sess-b', 0, 'send_email', 0.3],
      ['sess-a', 1, 'modify_labels', 0.6],
    ]);
    expect(queue[0]?.subject).toEqual({ stage: 'classify', key: 'key-classify-sess-b' });
    expect(formatReviewQueue(queue)).toBe(
      [
        'session  span  action         conf  steps  parameters',
        'sess-b   0     send_email     0.30  1-3    {"to":["ana@example.com"],"cc":[],"subject":"Q3 numbers","body":"Attached."}',
        'sess-a   1     modify_labels  0.60  4      {"message_id":"m-0007","add_labels":[],"remove_labels":["INBOX"]}',
      ].join('\n'),
    );
    const shown = formatReviewEntry(queue[1]!, a);
    expect(shown).toContain('span        #1: modify_labels, steps 4-4, confidence 0.60');
    expect(shown).toContain('tool call   gmail_modify_labels {"add_label_ids":[],"message_id":"m-0007","remove_label_ids":["INBOX"]}');
    expect(shown).toContain('events      input_events.jsonl:4');
    // a decision taken on the queue entry empties it on the next synthesis
    const accepted = await synthesizeExample({
      sessionId: 'sess-b',
      classification: classification('sess-b', [{ ...sendSpan, confidence: 0.3 }]),
      timeline: timeline('sess-b'),
      annotations: [
        { subjectKey: queue[0]!.subject.key, kind: 'review', payload: reviewPayload({ span: 0, decision: 'accept' }), createdAt: '2026-01-01T00:00:00Z' },
      ],
    });
    expect(accepted.status).toBe('COMPLETED');
    expect(reviewQueue([accepted])).toEqual([]);
    expect(formatReviewQueue([])).toBe('review queue is empty');
  });
});
