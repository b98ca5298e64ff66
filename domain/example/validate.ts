import { canonicalJson } from '../../engine/hash.ts';
import { renderChatTemplate, renderedToolCalls } from './chat-template.ts';
import type { ValidateFunction } from 'ajv';
import { schemaValidator } from './schema-validator.ts';

/** One reason an example cannot be trained on, at a path inside the example. */
export interface ValidationIssue {
  exampleId: string;
  /** e.g. `messages[2].tool_calls[0].function.arguments.recipients` */
  path: string;
  message: string;
}

export interface ValidateOptions {
  /** Named in every issue; defaults to the input's `id`, else `<example>`. */
  exampleId?: string;
  /** Require at least one assistant message (every dataset line needs one). Default true. */
  requireAssistant?: boolean;
  /** Render through the chat template and check the tool calls survive. Default true. */
  render?: boolean;
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks an Example or a dataset line against OpenAI's fine-tuning rules (roles,
 * tool_call ids, arguments that parse as JSON and match the tool's schema, known
 * function names) and renders it through the chat template. Returns every issue;
 * an empty list means the example can be written.
 */
export function validateExample(input: unknown, tools?: unknown, opts: ValidateOptions = {}): ValidationIssue[] {
  const rec = isRec(input) ? input : {};
  const exampleId = opts.exampleId ?? (typeof rec['id'] === 'string' ? rec['id'] : '<example>');
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ exampleId, path, message });
  if (!isRec(input)) {
    add('', 'an example is a JSON object with messages and tools');
    return issues;
  }
  const toolList = tools ?? rec['tools'];
  const schemas = checkTools(toolList, add);
  const messages = rec['messages'];
  if (!Array.isArray(messages) || messages.length === 0) {
    add('messages', 'must be a non-empty array of messages');
    return issues;
  }
  checkMessages(messages, schemas, add, opts.requireAssistant ?? true);
  if ((opts.render ?? true) && issues.length === 0) checkRendering(messages, Array.isArray(toolList) ? toolList : [], add);
  return issues;
}

/** One line per issue: `example <id>: <path>: <message>`. */
export function formatIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => `example ${i.exampleId}: ${i.path || '<root>'}: ${i.message}`).join('\n');
}

type Add = (path: string, message: string) => void;

/** Each tool's compiled argument validator, by tool name. */
function checkTools(tools: unknown, add: Add): Map<string, ValidateFunction> {
  const schemas = new Map<string, ValidateFunction>();
  if (!Array.isArray(tools)) {
    add('tools', 'must be an array of {type: "function", function: {name, parameters}}');
    return schemas;
  }
  tools.forEach((t, i) => {
    const fn = isRec(t) ? t['function'] : undefined;
    if (!isRec(t) || t['type'] !== 'function' || !isRec(fn) || typeof fn['name'] !== 'string') {
      add(`tools[${i}]`, 'must be {type: "function", function: {name, description, parameters}}');
      return;
    }
    const name = fn['name'];
    if (schemas.has(name)) add(`tools[${i}].function.name`, `duplicate tool name "${name}"`);
    const params = fn['parameters'] ?? { type: 'object' };
    if (!isRec(params)) {
      add(`tools[${i}].function.parameters`, 'must be a JSON Schema object');
      return;
    }
    try {
      schemas.set(name, schemaValidator(params));
    } catch (e) {
      add(`tools[${i}].function.parameters`, `is not a valid JSON Schema: ${(e as Error).message}`);
    }
  });
  return schemas;
}

function checkMessages(messages: unknown[], schemas: Map<string, ValidateFunction>, add: Add, requireAssistant: boolean): void {
  const callIds = new Set<string>();
  const unanswered = new Set<string>();
  let sawUser = false;
  let sawAssistant = false;
  let previousRole: string | undefined;
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    if (!isRec(m)) return add(at, 'must be an object with a role');
    const role = m['role'];
    if (typeof role !== 'string' || !ROLES.has(role)) {
      add(`${at}.role`, `role ${JSON.stringify(role)} is not one of system, user, assistant, tool`);
      return;
    }
    switch (role) {
      case 'system':
        if (i !== 0) add(`${at}.role`, 'a system message may only come first');
        checkText(m, at, add);
        break;
      case 'user':
        sawUser = true;
        checkText(m, at, add);
        break;
      case 'assistant': {
        if (!sawUser) add(`${at}.role`, 'an assistant message must follow a user message');
        sawAssistant = true;
        const calls = m['tool_calls'];
        const content = m['content'];
        const hasText = typeof content === 'string' && content.length > 0;
        if (content !== undefined && content !== null && typeof content !== 'string') add(`${at}.content`, 'must be a string or null');
        if (calls === undefined || calls === null) {
          if (!hasText) add(at, 'an assistant message needs content or tool_calls');
          break;
        }
        if (!Array.isArray(calls) || calls.length === 0) {
          add(`${at}.tool_calls`, 'must be a non-empty array when present');
          break;
        }
        calls.forEach((c, j) => checkToolCall(c, `${at}.tool_calls[${j}]`, schemas, callIds, unanswered, add));
        break;
      }
      case 'tool': {
        const id = m['tool_call_id'];
        if (previousRole !== 'assistant' && previousRole !== 'tool')
          add(`${at}.role`, 'a tool message must follow an assistant message with tool_calls or another tool message');
        if (typeof id !== 'string') add(`${at}.tool_call_id`, 'must be the id of a tool call');
        else if (!callIds.has(id)) add(`${at}.tool_call_id`, `"${id}" answers no earlier tool call`);
        else if (!unanswered.delete(id)) add(`${at}.tool_call_id`, `tool call "${id}" is already answered`);
        if (typeof m['content'] !== 'string') add(`${at}.content`, 'must be a string (JSON text of the tool result)');
        break;
      }
    }
    previousRole = role;
  });
  if (requireAssistant && !sawAssistant) add('messages', 'has no assistant message to train on');
}

function checkText(m: Rec, at: string, add: Add): void {
  if (typeof m['content'] !== 'string' || m['content'].length === 0) add(`${at}.content`, 'must be a non-empty string');
}

function checkToolCall(c: unknown, at: string, schemas: Map<string, ValidateFunction>, callIds: Set<string>, unanswered: Set<string>, add: Add): void {
  if (!isRec(c)) return add(at, 'must be an object');
  const id = c['id'];
  if (typeof id !== 'string' || id.length === 0) add(`${at}.id`, 'must be a non-empty string');
  else if (callIds.has(id)) add(`${at}.id`, `duplicate tool_call id "${id}"`);
  else {
    callIds.add(id);
    unanswered.add(id);
  }
  let name: unknown;
  let args: unknown;
  let argsPath: string;
  const fn = c['function'];
  if (fn !== undefined) {
    if (c['type'] !== 'function') add(`${at}.type`, 'must be "function"');
    if (!isRec(fn)) return add(`${at}.function`, 'must be {name, arguments}');
    name = fn['name'];
    argsPath = `${at}.function.arguments`;
    const raw = fn['arguments'];
    if (typeof raw !== 'string') return add(argsPath, 'must be a JSON string (OpenAI tool-call shape)');
    try {
      args = JSON.parse(raw);
    } catch (e) {
      return add(argsPath, `is not valid JSON: ${(e as Error).message}`);
    }
  } else {
    name = c['name'];
    argsPath = `${at}.arguments`;
    args = c['arguments'];
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args);
      } catch (e) {
        return add(argsPath, `is not valid JSON: ${(e as Error).message}`);
      }
    }
  }
  const namePath = fn !== undefined ? `${at}.function.name` : `${at}.name`;
  if (typeof name !== 'string') return add(namePath, 'must be a string');
  if (!isRec(args)) return add(argsPath, 'must be a JSON object');
  const validate = schemas.get(name);
  if (validate === undefined) return add(namePath, `unknown tool "${name}" (tools: ${[...schemas.keys()].join(', ') || 'none'})`);
  if (!validate(args)) {
    for (const err of validate.errors ?? []) {
      add(argsPath + jsonPointerToPath(err.instancePath), `${err.message ?? 'is invalid'}${paramsNote(err.params)} (tool ${name})`);
    }
  }
}

function jsonPointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
}

function paramsNote(params: Record<string, unknown>): string {
  const extra = params['additionalProperty'];
  return typeof extra === 'string' ? `: "${extra}"` : '';
}

/** The trainer's view: render the template and read every tool call back out of the text. */
function checkRendering(messages: unknown[], tools: unknown[], add: Add): void {
  let text: string;
  try {
    text = renderChatTemplate(messages, tools);
  } catch (e) {
    return add('messages', `does not render through the chat template: ${(e as Error).message}`);
  }
  const expected: { path: string; name: string; args: unknown }[] = [];
  messages.forEach((m, i) => {
    const calls = isRec(m) && Array.isArray(m['tool_calls']) ? m['tool_calls'] : [];
    calls.forEach((c: Rec, j: number) => {
      const fn = isRec(c['function']) ? c['function'] : c;
      const raw = fn['arguments'];
      expected.push({
        path: `messages[${i}].tool_calls[${j}]`,
        name: String(fn['name']),
        args: typeof raw === 'string' ? JSON.parse(raw) : raw,
      });
    });
  });
  const rendered = renderedToolCalls(text);
  expected.forEach((e, k) => {
    const got = rendered[k]?.parsed;
    const ok = isRec(got) && got['name'] === e.name && canonicalJson(got['arguments']) === canonicalJson(e.args);
    if (!ok) add(e.path, `does not survive chat-template rendering (rendered: ${rendered[k]?.raw ?? 'nothing'})`);
  });
  if (rendered.length > expected.length) add('messages', `rendered ${rendered.length} tool calls, expected ${expected.length}`);
}
