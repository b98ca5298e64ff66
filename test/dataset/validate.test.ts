import { describe, expect, it } from 'vitest';
import { renderChatTemplate, validateExample, formatIssues } from '../../stages/dataset/index.ts';
import type { Example } from '../../domain/example/index.ts';
import { synthesizeExample } from '../synthesize/fixtures.ts';

/** A deep copy of a real example with one thing broken. */
async function corrupted(edit: (ex: any) => void): Promise<Example> {
  const ex = structuredClone(await synthesizeExample({ options: { toolResults: true } }));
  edit(ex);
  return ex;
}

describe('validateExample', () => {
  it('accepts a real example in both shapes', async () => {
    const ex = await synthesizeExample({ options: { toolResults: true } });
    expect(validateExample(ex, ex.tools)).toEqual([]);
    const flat = await synthesizeExample({ options: { toolCallShape: 'flat' } });
    expect(validateExample({ messages: flat.messages, tools: flat.tools })).toEqual([]);
  });

  it.each([
    ['a bad role', (ex: any) => (ex.messages[1].role = 'human'), 'messages[1].role', 'role "human" is not one of system, user, assistant, tool'],
    ['an assistant before any user', (ex: any) => ex.messages.splice(1, 1), 'messages[1].role', 'an assistant message must follow a user message'],
    [
      'a duplicate tool_call id',
      (ex: any) => (ex.messages[4].tool_calls[0].id = ex.messages[2].tool_calls[0].id),
      'messages[4].tool_calls[0].id',
      /^duplicate tool_call id "call_/,
    ],
    [
      'a tool message answering no call',
      (ex: any) => (ex.messages[3].tool_call_id = 'call_nope'),
      'messages[3].tool_call_id',
      '"call_nope" answers no earlier tool call',
    ],
    [
      'arguments that are not JSON',
      (ex: any) => (ex.messages[2].tool_calls[0].function.arguments = '{"recipients": [}'),
      'messages[2].tool_calls[0].function.arguments',
      /^is not valid JSON/,
    ],
    [
      'arguments as an object in the OpenAI shape',
      (ex: any) => (ex.messages[2].tool_calls[0].function.arguments = { a: 1 }),
      'messages[2].tool_calls[0].function.arguments',
      'must be a JSON string (OpenAI tool-call shape)',
    ],
    [
      'arguments failing the schema (missing)',
      (ex: any) => (ex.messages[4].tool_calls[0].function.arguments = '{"message_id":"m-0007","add_label_ids":[]}'),
      'messages[4].tool_calls[0].function.arguments',
      "must have required property 'remove_label_ids' (tool gmail_modify_labels)",
    ],
    [
      'arguments failing the schema (const)',
      (ex: any) => (ex.messages[2].tool_calls[0].function.arguments = ex.messages[2].tool_calls[0].function.arguments.replace('"text"', '"html"')),
      'messages[2].tool_calls[0].function.arguments.format',
      'must be equal to one of the allowed values (tool gmail_send_message)',
    ],
    [
      'an unknown argument',
      (ex: any) => (ex.messages[4].tool_calls[0].function.arguments = '{"message_id":"m-0007","add_label_ids":[],"remove_label_ids":[],"x":1}'),
      'messages[4].tool_calls[0].function.arguments',
      'must NOT have additional properties: "x" (tool gmail_modify_labels)',
    ],
    [
      'an unknown tool',
      (ex: any) => (ex.messages[2].tool_calls[0].function.name = 'gmail_print'),
      'messages[2].tool_calls[0].function.name',
      /^unknown tool "gmail_print" \(tools: gmail_send_message, /,
    ],
    [
      'a system message in the middle',
      (ex: any) => (ex.messages[3] = { role: 'system', content: 'x' }),
      'messages[3].role',
      'a system message may only come first',
    ],
    ['no messages to train on', (ex: any) => (ex.messages = ex.messages.slice(0, 2)), 'messages', 'has no assistant message to train on'],
  ])('rejects %s, naming the example and the field', async (_what, edit, path, message) => {
    const ex = await corrupted(edit);
    const issues = validateExample(ex, ex.tools);
    expect(issues.length).toBeGreaterThan(0);
    const issue = issues.find((i) => i.path === path);
    expect(issue, formatIssues(issues)).toBeDefined();
    expect(issue!.exampleId).toBe('sess-001');
    if (typeof message === 'string') expect(issue!.message).toBe(message);
    else expect(issue!.message).toMatch(message);
    expect(formatIssues(issues)).toContain(`example sess-001: ${path}: `);
  });
});

describe('chat-template rendering', () => {
  it('renders a real example through the Qwen2.5-style template with its tools and tool calls', async () => {
    const ex = await synthesizeExample({ options: { toolResults: true } });
    const text = renderChatTemplate(ex.messages, ex.tools);
    expect(text.startsWith('<|im_start|>system\nYou are an email assistant working in mailapp.')).toBe(true);
    expect(text).toContain('# Tools\n\nYou may call one or more functions');
    expect(text).toContain('<tools>\n{"type": "function", "function": {"name": "gmail_send_message"');
    expect(text).toContain(
      '<|im_start|>assistant\n<tool_call>\n{"name": "gmail_send_message", "arguments": {"body":"Attached.","cc":[],"format":"text","recipients":["ana@example.com"],"subject":"Q3 numbers"}}\n</tool_call><|im_end|>\n',
    );
    expect(text).toContain('<|im_start|>user\n<tool_response>\n{"id":"m-0101","labels":["SENT"]}\n</tool_response><|im_end|>\n');
    expect(text).toContain('{"name": "gmail_modify_labels", "arguments": {"add_label_ids":[],"message_id":"m-0007","remove_label_ids":["INBOX"]}}');
  });

  it('renders flat object arguments with tojson', async () => {
    const ex = await synthesizeExample({ options: { toolCallShape: 'flat' } });
    const text = renderChatTemplate(ex.messages, ex.tools);
    expect(text).toContain('{"name": "gmail_modify_labels", "arguments": {"message_id": "m-0007", "add_label_ids": [], "remove_label_ids": ["INBOX"]}}');
  });

  it('counts an example whose tool call does not survive rendering as invalid', async () => {
    const ex = await synthesizeExample();
    // A closing tag inside an argument breaks the <tool_call> block a trainer would parse.
    const args = JSON.parse((ex.messages[2] as any).tool_calls[0].function.arguments);
    args.body = 'see\n</tool_call>\nthis';
    (ex.messages[2] as any).tool_calls[0].function.arguments = JSON.stringify(args);
    const issues = validateExample(ex, ex.tools);
    expect(issues.map((i) => i.path)).toEqual(['messages[2].tool_calls[0]']);
    expect(issues[0]!.message).toMatch(/^does not survive chat-template rendering/);
  });
});
