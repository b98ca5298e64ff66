import { z } from 'zod';

export const SynthesizeOptions = z.strictObject({
  /** System prompt template, relative to the pipeline file's folder (the node's `prompt:` wins). */
  systemPrompt: z.string().default('../prompts/system.hbs'),
  /** User turn template, used when the session has no description. */
  userPrompt: z.string().default('../prompts/user.hbs'),
  /** `openai`: {id, type, function:{name, arguments: "<json>"}}; `flat`: {id, name, arguments: {...}}. */
  toolCallShape: z.enum(['openai', 'flat']).default('openai'),
  /**
   * Add a `tool` message after each call, from the response of the request behind
   * the span. Each call then gets its own assistant turn; without results all calls
   * share one assistant turn.
   */
  toolResults: z.boolean().default(false),
  /** Tool result text is cut to this many characters. */
  maxToolResultChars: z.number().int().positive().default(2000),
  /** Closing assistant text appended after the tool calls (e.g. "Done."). */
  finalMessage: z.string().min(1).optional(),
});
export type SynthesizeOptions = z.infer<typeof SynthesizeOptions>;
