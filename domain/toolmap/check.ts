import type { ActionToolMap } from './schema.ts';
import { propertiesOf, type SuiteActions } from './suite-shape.ts';
import { templateParameters } from './template.ts';

export interface ToolMapIssue {
  /** Dotted path inside the map file, e.g. `tools.send_email.arguments.recipients.from`. */
  field: string;
  message: string;
}

/** Checks a map against a suite: unknown actions and parameters, unmapped actions, bad templates. */
export function checkToolMap(map: ActionToolMap, suite: SuiteActions): ToolMapIssue[] {
  const issues: ToolMapIssue[] = [];
  for (const [action, t] of Object.entries(map.tools)) {
    const spec = suite.actions[action];
    if (spec === undefined) {
      issues.push({ field: `tools.${action}`, message: `action "${action}" is not in suite ${suite.id ?? ''}`.trim() });
      continue;
    }
    const known = Object.keys(propertiesOf(spec.parameters));
    for (const [argName, m] of Object.entries(t.arguments)) {
      const field = `tools.${action}.arguments.${argName}`;
      if ('from' in m && !known.includes(m.from)) {
        issues.push({ field: `${field}.from`, message: `"${m.from}" is not a parameter of ${action} (${known.join(', ')})` });
      }
      if ('template' in m) {
        let used: string[] = [];
        try {
          used = templateParameters(m.template);
        } catch (e) {
          issues.push({ field: `${field}.template`, message: `template does not parse: ${(e as Error).message}` });
        }
        for (const p of used.filter((u) => !known.includes(u))) {
          issues.push({ field: `${field}.template`, message: `template uses "${p}", not a parameter of ${action}` });
        }
      }
    }
  }
  for (const action of Object.keys(suite.actions)) {
    if (!(action in map.tools)) issues.push({ field: 'tools', message: `suite action "${action}" has no tool` });
  }
  return issues;
}
