import { TracepipeError } from '../../engine/errors.ts';
import type { ActionToolMap } from './schema.ts';
import { renderArgumentTemplate } from './template.ts';

export interface MappedToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * Turns one action and its parameters into a tool call of the map's server.
 * A `from` argument whose parameter is absent is left out (optional parameters
 * such as `cc`); the example validator reports a required one that is missing.
 */
export function applyToolMap(map: ActionToolMap, action: string, parameters: Record<string, unknown>): MappedToolCall {
  const mapping = map.tools[action];
  if (mapping === undefined) {
    throw new TracepipeError('TP_STAGE', `action "${action}" has no tool in action-tool map "${map.id}"`, {
      hint: `Add tools.${action} to the map, or fix the classification.`,
    });
  }
  const args: Record<string, unknown> = {};
  for (const [argName, m] of Object.entries(mapping.arguments)) {
    if ('from' in m) {
      const v = parameters[m.from];
      if (v !== undefined && v !== null) args[argName] = structuredClone(v);
    } else if ('const' in m) {
      args[argName] = structuredClone(m.const);
    } else {
      args[argName] = renderArgumentTemplate(m.template, parameters);
    }
  }
  return { name: mapping.tool, arguments: args };
}
