import { describe, expect, it } from 'vitest';
import { canonicalParameters, scoreSpans } from '../../stages/classify/index.ts';

describe('scoreSpans', () => {
  it('matches actions as multisets and reports parameter agreement separately', () => {
    const labels = [
      { action: 'send_email', parameters: { to: ['Bob@Example.com', 'amy@example.com'], subject: 'Hi', body: 'Hello  there' } },
      { action: 'modify_labels', parameters: { message_id: 'm-1', add_labels: [], remove_labels: ['INBOX'] } },
      { action: 'modify_labels', parameters: { message_id: 'm-2', add_labels: ['STARRED'], remove_labels: [] } },
    ];
    const predicted = [
      { action: 'send_email', parameters: { to: ['amy@example.com', 'bob@example.com'], cc: [], subject: 'Hi', body: 'Hello there ' } },
      { action: 'modify_labels', parameters: { message_id: 'm-2', add_labels: ['STARRED'], remove_labels: [] } },
      { action: 'read_email', parameters: { message_id: 'm-1' } },
    ];
    const s = scoreSpans(predicted, labels);
    expect(s).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(s.precision).toBeCloseTo(2 / 3);
    expect(s.recall).toBeCloseTo(2 / 3);
    expect(s.f1).toBeCloseTo(2 / 3);
    expect(s.paramExact).toBe(1);
    expect(s.exact).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(s.perAction.modify_labels).toMatchObject({ tp: 1, fp: 0, fn: 1, recall: 0.5 });
    expect(s.perAction.read_email).toMatchObject({ tp: 0, fp: 1, fn: 0, precision: 0 });
  });

  it('counts a right action with wrong parameters as a match but not an exact one', () => {
    const s = scoreSpans([{ action: 'search_emails', parameters: { query: 'invoices' } }], [{ action: 'search_emails', parameters: { query: 'invoice' } }]);
    expect(s.f1).toBe(1);
    expect(s.paramExact).toBe(0);
    expect(s.exact.f1).toBe(0);
  });

  it('empty against empty is perfect', () => {
    expect(scoreSpans([], [])).toMatchObject({ f1: 1, precision: 1, recall: 1, paramExact: 1 });
  });

  it('canonicalizes parameters', () => {
    expect(canonicalParameters({ to: [' B@X.io ', 'a@x.io'], cc: [], note: null, body: ' a\n b ' })).toEqual({ to: ['a@x.io', 'b@x.io'], body: 'a b' });
  });
});
