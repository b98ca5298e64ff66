import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../../engine/hash.ts';
import { toolCallIdFor, type Example, type OpenAIToolCall, type FlatToolCall } from '../../domain/example/index.ts';
import { synthesizeStage } from '../../stages/synthesize/index.ts';
import { validateExample } from '../../stages/dataset/index.ts';
import { archiveSpan, classification, review, ROOT, sendSpan, synthesizeContext, synthesizeExample, timeline } from './fixtures.ts';

const assistantCalls = (ex: Example) => ex.messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []) : []));

describe('synthesize stage', () => {
  it('builds an OpenAI-shaped conversation through the action-tool map', async () => {
    const ex = await synthesizeExample();
    expect(ex.status).toBe('COMPLETED');
    expect(ex.id).toBe('sess-001');
    expect(ex.actionToolMapId).toBe('gmail-tools-v1');
    expect(ex.modelId).toBe('gpt-4.1-mini');
    expect(ex.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(ex.messages[0]?.content).toContain('gmail-mcp');
    expect(ex.messages[1]).toEqual({ role: 'user', content: 'Email Ana the Q3 numbers, then archive the newsletter m-0007.' });
    const calls = assistantCalls(ex) as OpenAIToolCall[];
    expect(calls).toEqual([
      {
        id: toolCallIdFor('sess-001', 0),
        type: 'function',
        function: {
          name: 'gmail_send_message',
          arguments: '{"body":"Attached.","cc":[],"format":"text","recipients":["ana@example.com"],"subject":"Q3 numbers"}',
        },
      },
      {
        id: toolCallIdFor('sess-001', 1),
        type: 'function',
        function: { name: 'gmail_modify_labels', arguments: '{"add_label_ids":[],"message_id":"m-0007","remove_label_ids":["INBOX"]}' },
      },
    ]);
    expect(ex.tools.map((t) => t.function.name)).toEqual([
      'gmail_send_message',
      'gmail_create_draft',
      'gmail_reply_to_message',
      'gmail_forward_message',
      'gmail_search_messages',
      'gmail_get_message',
      'gmail_modify_labels',
      'gmail_trash_message',
    ]);
    expect(validateExample(ex, ex.tools)).toEqual([]);
  });

  it('derives tool schemas from the suite: renames keep the parameter schema, consts become enums', async () => {
    const ex = await synthesizeExample();
    const send = ex.tools.find((t) => t.function.name === 'gmail_send_message')!.function.parameters;
    expect(send).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['recipients', 'subject', 'body', 'format'],
      properties: {
        recipients: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Email addresses of the recipients.' },
        format: { type: 'string', enum: ['text'] },
      },
    });
    const trash = ex.tools.find((t) => t.function.name === 'gmail_trash_message')!.function.parameters;
    expect(trash['required']).toEqual(['message_id']); // the explicit schema wins
  });

  it('renders argument templates and the flat tool-call shape', async () => {
    const search = { action: 'search_emails', startStep: 1, endStep: 2, parameters: { query: 'invoice' }, confidence: 0.9, evidence: [] };
    const del = { action: 'delete_email', startStep: 3, endStep: 4, parameters: { message_id: 'm-0042' }, confidence: 0.9, evidence: [] };
    const ex = await synthesizeExample({ classification: classification('sess-001', [search, del]), options: { toolCallShape: 'flat' } });
    const calls = assistantCalls(ex) as FlatToolCall[];
    expect(calls).toEqual([
      { id: toolCallIdFor('sess-001', 0), name: 'gmail_search_messages', arguments: { q: 'in:inbox invoice', max_results: 25 } },
      { id: toolCallIdFor('sess-001', 1), name: 'gmail_trash_message', arguments: { message_id: 'm-0042', reason: "deleted m-0042 at the user's request" } },
    ]);
    expect(validateExample(ex, ex.tools)).toEqual([]);
  });

  it('is deterministic: same inputs, same example, same ids', async () => {
    const a = await synthesizeExample();
    const b = await synthesizeExample();
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.provenance.toolCalls.map((t) => t.toolCallId)).toEqual([toolCallIdFor('sess-001', 0), toolCallIdFor('sess-001', 1)]);
    expect(toolCallIdFor('sess-001', 0)).not.toBe(toolCallIdFor('sess-002', 0));
    const odd = await synthesizeExample({
      sessionId: 'folder/with spaces',
      classification: classification('folder/with spaces'),
      timeline: timeline('folder/with spaces'),
    });
    expect(odd.id).toMatch(/^folder-with-spaces-[0-9a-f]{8}$/);
  });

  it('records provenance by content (stage keys, prompt hashes, steps, source events and requests per tool call), never the run', async () => {
    const ex = await synthesizeExample({ runId: 'run-42' });
    const ctxKey = synthesizeContext({}).key;
    expect(JSON.stringify(ex)).not.toContain('run-42');
    expect(ex.provenance.stageKeys).toEqual({ classify: 'key-classify-sess-001', normalize: 'key-normalize-sess-001', synthesize: ctxKey });
    expect(ex.provenance.reviewSubject).toEqual({ stage: 'classify', key: 'key-classify-sess-001' });
    expect(ex.provenance.promptHashes).toEqual({ '../prompts/system.hbs': sha256(readFileSync(path.join(ROOT, 'prompts/system.hbs'), 'utf8')) });
    expect(ex.provenance.toolCalls[0]).toEqual({
      toolCallId: toolCallIdFor('sess-001', 0),
      spanIndex: 0,
      action: 'send_email',
      steps: [1, 2, 3],
      sourceEvents: ['input_events.jsonl:1', 'input_events.jsonl:2', 'input_events.jsonl:3'],
      networkRequests: ['har:4'],
    });
    expect(ex.labels).toHaveLength(2);
    expect(ex.confidences).toEqual([0.95, 0.9]);
  });

  it('keeps secrets out of the model configuration', async () => {
    const ex = await synthesizeExample();
    expect(ex.modelConfiguration).toEqual({
      name: 'strong',
      config: {
        provider: 'openai',
        model: 'gpt-4.1-mini',
        temperature: 0,
        apiKeyEnv: 'OPENAI_API_KEY',
        apiKey: '[REDACTED]',
        headers: { Authorization: '[REDACTED]' },
      },
    });
    expect(JSON.stringify(ex)).not.toMatch(/sk-live|Bearer abc/);
  });

  it('renders the user turn from the template when the session has no description', async () => {
    const ex = await synthesizeExample({ timeline: timeline('sess-001', { description: undefined }) });
    expect(ex.messages[1]?.content).toBe(
      'Send an email to ana@example.com with the subject "Q3 numbers" saying "Attached.", and then on message m-0007, remove the label(s) INBOX.',
    );
    expect(Object.keys(ex.provenance.promptHashes)).toEqual(['../prompts/system.hbs', '../prompts/user.hbs']);
  });

  it('adds tool results from the recorded responses, one assistant turn per call', async () => {
    const ex = await synthesizeExample({ options: { toolResults: true, finalMessage: 'Done.' } });
    expect(ex.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
    expect(ex.messages[3]).toEqual({ role: 'tool', tool_call_id: toolCallIdFor('sess-001', 0), content: '{"id":"m-0101","labels":["SENT"]}' });
    expect(ex.messages[5]).toEqual({ role: 'tool', tool_call_id: toolCallIdFor('sess-001', 1), content: '{"ok": true}' });
    expect(ex.messages[6]).toEqual({ role: 'assistant', content: 'Done.' });
    expect(validateExample(ex, ex.tools)).toEqual([]);
  });

  it('flags spans below the review threshold: NEEDS_REVIEW', async () => {
    const ex = await synthesizeExample({ classification: classification('sess-001', [sendSpan, { ...archiveSpan, confidence: 0.55 }]) });
    expect(ex.status).toBe('NEEDS_REVIEW');
    expect(ex.statusReason).toBe('1 span(s) below the review threshold 0.7: #1 modify_labels 0.55');
    expect(ex.spans.map((s) => s.flagged)).toEqual([false, true]);
    const stricter = await synthesizeExample({ thresholds: { review: 0.96 } });
    expect(stricter.spans.map((s) => s.flagged)).toEqual([true, true]);
  });

  it('drops undecided spans below the drop threshold, and FAILS an example with nothing left', async () => {
    const low = { ...archiveSpan, confidence: 0.2 };
    const ex = await synthesizeExample({ classification: classification('sess-001', [sendSpan, low]), thresholds: { review: 0.7, drop: 0.3 } });
    expect(ex.status).toBe('COMPLETED');
    expect(ex.droppedSpans).toEqual([{ index: 1, action: 'modify_labels', reason: 'below_drop' }]);
    const none = await synthesizeExample({ classification: classification('sess-001', []) });
    expect(none.status).toBe('FAILED');
    expect(none.statusReason).toBe('no actions were classified');
    expect(none.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('applies review decisions: the latest per span wins; accept, fix and reject', async () => {
    const spans = [
      { ...sendSpan, confidence: 0.5 },
      { ...archiveSpan, confidence: 0.4 },
      { ...archiveSpan, startStep: 4, confidence: 0.3 },
    ];
    const ex = await synthesizeExample({
      classification: classification('sess-001', spans),
      annotations: [
        review(0, 'reject', '2026-01-01T00:00:00Z'),
        review(0, 'accept', '2026-01-02T00:00:00Z', { reviewer: 'ana' }), // later: wins
        review(1, 'fix', '2026-01-01T00:00:00Z', { action: 'modify_labels', parameters: { message_id: 'm-0007', add_labels: ['STARRED'], remove_labels: [] } }),
        review(2, 'reject', '2026-01-01T00:00:00Z'),
        { subjectKey: 'x', kind: 'note', payload: { span: 1 }, createdAt: '2026-01-03T00:00:00Z' },
      ],
    });
    expect(ex.status).toBe('COMPLETED');
    expect(ex.spans.map((s) => [s.index, s.review?.decision, s.flagged])).toEqual([
      [0, 'accept', false],
      [1, 'fix', false],
    ]);
    expect(ex.droppedSpans).toEqual([{ index: 2, action: 'modify_labels', reason: 'rejected' }]);
    expect((assistantCalls(ex)[1] as OpenAIToolCall).function.arguments).toBe('{"add_label_ids":["STARRED"],"message_id":"m-0007","remove_label_ids":[]}');
  });

  it('reports malformed review payloads instead of applying them', async () => {
    const ctx = synthesizeContext({
      classification: classification('sess-001', [{ ...sendSpan, confidence: 0.5 }]),
      annotations: [review(0, 'maybe' as 'accept', '2026-01-01T00:00:00Z')],
    });
    const ex = (await synthesizeStage.run(ctx)) as Example;
    expect(ex.status).toBe('NEEDS_REVIEW');
    expect(ctx.events.find((e) => e.type === 'review.invalid')?.data?.['message']).toMatch(/decision/);
  });

  it('fails with an actionable error when an action has no tool', async () => {
    const bad = { ...sendSpan, action: 'print_email' };
    await expect(synthesizeExample({ classification: classification('sess-001', [bad]) })).rejects.toThrow(
      /action "print_email" has no tool in action-tool map "gmail-tools-v1"/,
    );
  });

  it('declares prompts and suite as key files, and checks the map against the suite', () => {
    const ctx = synthesizeContext({});
    const files = synthesizeStage.keyFiles!(ctx.node, ctx.pipeline).map((f) => path.relative(ROOT, f.path));
    expect(files).toEqual(['prompts/system.hbs', 'prompts/user.hbs', 'pipelines/suites/gmail.yaml']);
    expect(synthesizeStage.check!(ctx.node, ctx.pipeline, ctx.files, ctx.env)).toEqual([]);
  });
});
