import { canonicalJson } from '../../engine/hash.ts';
import type { Step } from '../../domain/session/timeline.ts';
import { applyToolMap, type ActionToolMap } from '../../domain/toolmap/index.ts';
import type { ChatMessage, ExampleSpan, ToolCall, ToolCallProvenance, ToolCallShape } from '../../domain/example/example.ts';
import { toolCallIdFor } from '../../domain/example/ids.ts';
import { toolResultFor } from './tool-result.ts';

export interface ConversationInput {
  sessionId: string;
  system: string;
  user: string;
  spans: readonly ExampleSpan[];
  steps: readonly Step[];
  map: ActionToolMap;
  shape: ToolCallShape;
  toolResults: boolean;
  maxToolResultChars: number;
  finalMessage?: string;
}

/** Builds the messages of one example and the lineage of each tool call. */
export function buildConversation(input: ConversationInput): { messages: ChatMessage[]; toolCalls: ToolCallProvenance[] } {
  const messages: ChatMessage[] = [
    { role: 'system', content: input.system },
    { role: 'user', content: input.user },
  ];
  const calls: { call: ToolCall; steps: Step[] }[] = [];
  const toolCalls: ToolCallProvenance[] = [];
  for (const span of input.spans) {
    const id = toolCallIdFor(input.sessionId, span.index);
    const mapped = applyToolMap(input.map, span.action, span.parameters);
    const call: ToolCall =
      input.shape === 'openai'
        ? { id, type: 'function', function: { name: mapped.name, arguments: canonicalJson(mapped.arguments) } }
        : { id, name: mapped.name, arguments: mapped.arguments };
    const steps = input.steps.filter((s) => s.id >= span.startStep && s.id <= span.endStep);
    calls.push({ call, steps });
    toolCalls.push({
      toolCallId: id,
      spanIndex: span.index,
      action: span.action,
      steps: steps.map((s) => s.id),
      sourceEvents: [...new Set(steps.flatMap((s) => s.sourceEvents))],
      networkRequests: steps.flatMap((s) => s.network.map((r) => r.id)),
    });
  }
  if (calls.length === 0) return { messages, toolCalls };
  if (input.toolResults) {
    for (const { call, steps } of calls) {
      messages.push({ role: 'assistant', tool_calls: [call] });
      messages.push({ role: 'tool', tool_call_id: call.id, content: toolResultFor(steps, input.maxToolResultChars).content });
    }
  } else {
    messages.push({ role: 'assistant', tool_calls: calls.map((c) => c.call) });
  }
  if (input.finalMessage !== undefined) messages.push({ role: 'assistant', content: input.finalMessage });
  return { messages, toolCalls };
}
