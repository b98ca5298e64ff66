import type { ClassifiedSpan, ModelUsage } from '../session/classification.ts';
import type { ToolDefinition } from '../toolmap/index.ts';

/**
 * Lifecycle of an example. The synthesize stage produces COMPLETED, NEEDS_REVIEW
 * or FAILED; PENDING and PROCESSING are for stores that track examples in flight.
 */
export type ExampleStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'NEEDS_REVIEW';

/** OpenAI Chat Completions shape: arguments are a JSON string. */
export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}
/** Flat shape: arguments are an object (what Hermes/xLAM-style trainers read). */
export interface FlatToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}
export type ToolCall = OpenAIToolCall | FlatToolCall;
export type ToolCallShape = 'openai' | 'flat';

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content?: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ReviewMark {
  decision: 'accept' | 'fix';
  reviewer?: string;
  note?: string;
  createdAt: string;
}

/** A classified span as it stands after review decisions. */
export interface ExampleSpan extends ClassifiedSpan {
  /** Index of the span in the classification (what review decisions refer to). */
  index: number;
  /** Below the review threshold and not decided by a person: keeps the example out of the dataset. */
  flagged: boolean;
  review?: ReviewMark;
}

export interface ToolCallProvenance {
  toolCallId: string;
  spanIndex: number;
  action: string;
  /** Timeline step ids the span covers. */
  steps: number[];
  /** Raw input event ids behind those steps. */
  sourceEvents: string[];
  /** Network request ids attached to those steps. */
  networkRequests: string[];
}

/**
 * Where an example came from, by content: the cache keys and hashes behind it. No run id: the
 * same inputs must give the same bytes whichever run wrote them (the run log says which did).
 */
export interface ExampleProvenance {
  /** Cache keys by stage id: every upstream the example depends on, and the synthesize stage itself. */
  stageKeys: Record<string, string>;
  /** Where review decisions for this example's spans are stored: the classify result's key. */
  reviewSubject: { stage: string; key: string };
  /** sha256 of each prompt template's text, by path relative to the pipeline file's folder. */
  promptHashes: Record<string, string>;
  toolCalls: ToolCallProvenance[];
}

/** One training conversation from one session (DESIGN §5). */
export interface Example {
  id: string;
  sessionId: string;
  modelId: string;
  /** The classify node's model configuration, secrets removed; null for the rules provider. */
  modelConfiguration: { name: string; config: Record<string, unknown> } | null;
  actionToolMapId: string;
  status: ExampleStatus;
  /** Why the status is FAILED or NEEDS_REVIEW. */
  statusReason?: string;
  /** Confidence of each kept span, in tool-call order. */
  confidences: number[];
  spans: ExampleSpan[];
  /** Spans left out: rejected by a reviewer or below the drop threshold. */
  droppedSpans: { index: number; action: string; reason: 'rejected' | 'below_drop' }[];
  toolCallShape: ToolCallShape;
  messages: ChatMessage[];
  tools: ToolDefinition[];
  provenance: ExampleProvenance;
  /** Ground truth copied from the session, for `tracepipe compare`. */
  labels?: { action: string; parameters: Record<string, unknown> }[];
  /** The classification's model usage. */
  usage?: ModelUsage;
  /** Set by the write stage on an example that is not COMPLETED and fails validation. */
  validationIssues?: { exampleId: string; path: string; message: string }[];
}

/** One line of dataset.jsonl. */
export interface DatasetLine {
  messages: ChatMessage[];
  tools: ToolDefinition[];
}

/** Name and parsed arguments of a tool call in either shape. */
export function toolCallParts(call: ToolCall): { name: string; arguments: unknown } {
  if ('function' in call) {
    let args: unknown;
    try {
      args = JSON.parse(call.function.arguments);
    } catch {
      args = call.function.arguments;
    }
    return { name: call.function.name, arguments: args };
  }
  return { name: call.name, arguments: call.arguments };
}

/** Every tool call of a conversation, in order. */
export function toolCallsOf(messages: ChatMessage[]): ToolCall[] {
  return messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []) : []));
}
