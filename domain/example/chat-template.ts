import { Template } from '@huggingface/jinja';
import { readFileSync } from 'node:fs';
import { packagePath } from '../../engine/package-root.ts';

let template: Template | undefined;
let source: string | undefined;

/** Text of the committed ChatML / Qwen2.5-style tool-calling chat template. */
export function chatTemplateSource(): string {
  return (source ??= readFileSync(packagePath('domain', 'example', 'qwen2.5-tools.jinja'), 'utf8'));
}

/**
 * Renders a conversation the way a trainer would tokenize it (transformers'
 * `apply_chat_template`), with @huggingface/jinja. Throws when the template cannot render it.
 */
export function renderChatTemplate(messages: unknown[], tools: unknown[], opts: { addGenerationPrompt?: boolean } = {}): string {
  template ??= new Template(chatTemplateSource());
  return template.render({
    messages,
    tools: tools.length > 0 ? tools : undefined,
    add_generation_prompt: opts.addGenerationPrompt ?? false,
    bos_token: '',
    eos_token: '<|im_end|>',
  });
}

/**
 * The `{name, arguments}` objects inside each `<tool_call>` block of rendered text,
 * in order, parsed the way tool-call parsers read model output (first closing tag
 * ends a block). The system turn, which describes the format, is skipped.
 */
export function renderedToolCalls(text: string): { raw: string; parsed: unknown }[] {
  const out: { raw: string; parsed: unknown }[] = [];
  const afterSystem = text.startsWith('<|im_start|>system') ? text.slice(text.indexOf('<|im_end|>') + 1) : text;
  for (const m of afterSystem.matchAll(/<tool_call>([\s\S]*?)<\/tool_call>/g)) {
    const raw = (m[1] ?? '').trim();
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    out.push({ raw, parsed });
  }
  return out;
}
