import { z } from 'zod';
import { TracepipeError } from '../../engine/errors.ts';
import { describeZodIssues } from '../../engine/config/zod-issues.ts';

/** How one tool argument gets its value from an action's parameters. */
export const ArgumentMapping = z.union([
  z.strictObject({ from: z.string().min(1), description: z.string().optional() }),
  z.strictObject({ const: z.unknown(), description: z.string().optional() }),
  /** A Handlebars template over the action's parameters, e.g. `in:inbox {{query}}`. Always yields a string. */
  z.strictObject({ template: z.string(), description: z.string().optional() }),
]);
export type ArgumentMapping = z.infer<typeof ArgumentMapping>;

export const ToolMapping = z.strictObject({
  /** The tool's function name on the tool server. */
  tool: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a tool name is 1-64 letters, digits, _ or -'),
  description: z.string().optional(),
  arguments: z.record(z.string(), ArgumentMapping).default({}),
  /** JSON Schema of the tool's arguments; derived from the mapping and the suite when absent. */
  schema: z.record(z.string(), z.unknown()).optional(),
});
export type ToolMapping = z.infer<typeof ToolMapping>;

/** Maps each Suite action to a tool of one tool server (DESIGN §5). */
export const ActionToolMap = z.strictObject({
  id: z.string().min(1),
  server: z.string().min(1),
  description: z.string().optional(),
  tools: z.record(z.string(), ToolMapping),
});
export type ActionToolMap = z.infer<typeof ActionToolMap>;

/**
 * Validates a loaded map. Every problem is reported at once, each naming the file
 * and the field (e.g. `tools.send_email.arguments.to`).
 */
export function parseActionToolMap(value: unknown, file = '<action-tool map>'): ActionToolMap {
  const parsed = ActionToolMap.safeParse(value);
  if (!parsed.success) {
    const issues = describeZodIssues(parsed.error.issues, { input: value, schema: ActionToolMap });
    const lines = issues.map((i) => `${file} (field ${i.field}): ${i.problem}`);
    const first = issues[0];
    throw new TracepipeError('TP_CONFIG', `invalid action-tool map:\n${lines.join('\n')}`, {
      location: { file, ...(first ? { field: first.field } : {}) },
      hint: 'An argument is one of {from: <parameter>}, {const: <value>} or {template: "<handlebars>"}.',
    });
  }
  const map = parsed.data;
  const seen = new Map<string, string>();
  for (const [action, t] of Object.entries(map.tools)) {
    const other = seen.get(t.tool);
    if (other !== undefined) {
      throw new TracepipeError('TP_CONFIG', `${file} (field tools.${action}.tool): tool "${t.tool}" is already used by action "${other}"`, {
        location: { file, field: `tools.${action}.tool` },
        hint: 'Each action maps to its own tool, so a tool call names its action unambiguously.',
      });
    }
    seen.set(t.tool, action);
  }
  return map;
}
