import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyWithRules } from '../../stages/classify/index.ts';
import { parseSuite } from '../../domain/suite/index.ts';
import { classifyContext, request, runClassify, sendAndArchive, step, SUITE, timeline } from './helpers.ts';

const suite = parseSuite(readFileSync(SUITE, 'utf8'), SUITE);
const summary = (t: ReturnType<typeof timeline>) =>
  classifyWithRules(t, suite).map((s) => ({ action: s.action, parameters: s.parameters, steps: [s.startStep, s.endStep] }));

describe('the rules provider', () => {
  it('reads actions and parameters from requests; opening a message to archive it is no read_email', async () => {
    const out = await runClassify(classifyContext({ model: { provider: 'rules' }, timeline: sendAndArchive() }));
    expect(out).toMatchObject({ provider: 'rules', modelId: 'rules', usage: { calls: 0 } });
    expect(out.spans).toEqual([
      {
        action: 'send_email',
        startStep: 1,
        endStep: 5,
        parameters: { to: ['bob@example.com'], cc: [], subject: 'Hello', body: 'Hi Bob, lunch at noon?' },
        confidence: 0.95,
        evidence: ['step 5: POST /api/messages/send'],
      },
      {
        action: 'modify_labels',
        startStep: 6,
        endStep: 7,
        parameters: { message_id: 'm-0007', add_labels: [], remove_labels: ['INBOX'] },
        confidence: 0.95,
        evidence: ['step 7: POST /api/messages/m-0007/modify'],
      },
    ]);
  });

  it('a message opened and left is a read_email; a search is the q of a list request', () => {
    const t = timeline([
      step('type', { target: { field: 'search' }, text: 'invoice' }),
      step('hotkey', { keys: ['Enter'], network: [request('GET', '/api/messages?label=INBOX&q=invoice')] }),
      step('click', { target: { role: 'row', name: 'Invoice 42' }, network: [request('GET', '/api/messages/m-0003')] }),
      step('click', { target: { role: 'link', name: 'Inbox' }, network: [request('GET', '/api/messages?label=INBOX')] }),
    ]);
    expect(summary(t)).toEqual([
      { action: 'search_emails', parameters: { query: 'invoice' }, steps: [1, 2] },
      { action: 'read_email', parameters: { message_id: 'm-0003' }, steps: [3, 3] },
    ]);
  });

  it('reply, forward and delete carry the message id from the URL', () => {
    const t = timeline([
      step('click', { network: [request('GET', '/api/messages/m-0001')] }),
      step('click', { target: { name: 'Send' }, network: [request('POST', '/api/messages/m-0001/reply', { body: 'Thanks!' })] }),
      step('click', { network: [request('GET', '/api/messages/m-0002')] }),
      step('click', { target: { name: 'Send' }, network: [request('POST', '/api/messages/m-0002/forward', { to: ['Carol@Example.com'], body: '' })] }),
      step('click', { network: [request('GET', '/api/messages/m-0003')] }),
      step('click', { target: { name: 'Delete' }, network: [request('DELETE', '/api/messages/m-0003')] }),
      step('click', { target: { name: 'Save draft' }, network: [request('POST', '/api/drafts', JSON.stringify({ to: ['a@b.c'], subject: 'S', body: 'B' }))] }),
    ]);
    expect(summary(t).map(({ action, parameters }) => ({ action, parameters }))).toEqual([
      { action: 'reply_email', parameters: { message_id: 'm-0001', body: 'Thanks!' } },
      { action: 'forward_email', parameters: { message_id: 'm-0002', to: ['Carol@Example.com'] } },
      { action: 'delete_email', parameters: { message_id: 'm-0003' } },
      { action: 'create_draft', parameters: { to: ['a@b.c'], subject: 'S', body: 'B' } },
    ]);
  });

  it('a failed request is no evidence (the Send click alone is an incomplete, low-confidence span); app refreshes are no actions', () => {
    const t = timeline([
      step('click', { target: { name: 'Send' }, network: [request('POST', '/api/messages/send', { to: ['x@y.z'], subject: 's', body: 'b' }, 500)] }),
      step('click', { target: { name: 'Close' } }),
      step('hotkey', { keys: ['Enter'], network: [request('GET', '/api/messages?q=report')] }),
      step('click', { network: [request('GET', '/api/messages/m-0001'), request('POST', '/api/messages/m-0001/modify', { addLabels: ['STARRED'] })] }),
      step('navigate', { network: [request('GET', '/api/messages/m-0001'), request('GET', '/api/messages?q=report')] }),
    ]);
    const spans = classifyWithRules(t, suite);
    expect(spans.map((s) => [s.action, s.parameters, s.confidence, s.startStep, s.endStep])).toEqual([
      ['send_email', { to: [], cc: [], subject: '', body: '' }, 0.3, 1, 1],
      ['search_emails', { query: 'report' }, 0.9, 2, 3],
      // the message re-fetched after starring it is no read_email; the list refresh re-running the search is no new search
      ['modify_labels', { message_id: 'm-0001', add_labels: ['STARRED'], remove_labels: [] }, 0.95, 4, 4],
    ]);
  });

  it('falls back to UI evidence without network: a Send click takes the typed fields', () => {
    const t = timeline([
      step('click', { target: { role: 'button', name: 'Compose' } }),
      step('type', { target: { field: 'to' }, text: 'ann@example.com, bo@example.com' }),
      step('type', { target: { field: 'subject' }, text: 'Plan' }),
      step('type', { target: { field: 'body' }, text: 'Draft attached' }),
      step('click', { target: { role: 'button', name: 'Send' } }),
      step('type', { target: { field: 'search', role: 'searchbox' }, text: 'budget' }),
      step('submit', {}),
    ]);
    const spans = classifyWithRules(t, suite);
    expect(spans.map((s) => [s.action, s.parameters, s.confidence])).toEqual([
      ['send_email', { to: ['ann@example.com', 'bo@example.com'], cc: [], subject: 'Plan', body: 'Draft attached' }, 0.6],
      ['search_emails', { query: 'budget' }, 0.6],
    ]);
    expect(spans[0]!.evidence).toEqual(['step 5: click button Send']);
  });

  it('request evidence wins over the UI evidence of the same action nearby', () => {
    const t = timeline([
      step('type', { target: { field: 'to' }, text: 'typo@example' }),
      step('click', {
        target: { role: 'button', name: 'Send' },
        network: [request('POST', '/api/messages/send', { to: ['real@example.com'], subject: 'a', body: 'b' })],
      }),
    ]);
    expect(summary(t)).toEqual([{ action: 'send_email', parameters: { to: ['real@example.com'], cc: [], subject: 'a', body: 'b' }, steps: [1, 2] }]);
  });

  it('incomplete parameters keep the span at half confidence with the problem as evidence', () => {
    const t = timeline([step('click', { target: { role: 'button', name: 'Send' } })]);
    const [span] = classifyWithRules(t, suite);
    expect(span!.confidence).toBe(0.3);
    expect(span!.evidence).toContain('incomplete: parameters.to must NOT have fewer than 1 items');
  });

  it('typed-and-submitted UI evidence and the later request for the same search merge at the stronger confidence', () => {
    const t = timeline([
      step('click', { target: { role: 'searchbox', name: 'Search mail' } }),
      step('type', { target: { role: 'searchbox', name: 'Search mail' }, text: 'offsite' }),
      step('submit', { target: { role: 'searchbox', name: 'Search mail' } }),
      step('click', { target: { role: 'button', name: 'Search' } }),
      step('submit', {}),
      step('navigate', { network: [request('GET', '/api/messages?q=offsite')] }),
    ]);
    const spans = classifyWithRules(t, suite);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ action: 'search_emails', parameters: { query: 'offsite' }, confidence: 0.9 });
    expect(spans[0]!.evidence).toHaveLength(2);
  });

  it('an empty timeline has no spans', () => {
    expect(classifyWithRules(timeline([]), suite)).toEqual([]);
  });
});
