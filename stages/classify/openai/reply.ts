import type { ClassifiedSpan } from '../../../domain/session/classification.ts';
import type { Suite } from '../../../domain/suite/index.ts';

export type ReplyCheck = { ok: true; spans: ClassifiedSpan[] } | { ok: false; problems: string[] };

/**
 * Parses and checks a model reply against the Suite: JSON, the spans shape, a
 * known action, step ids inside the chunk, and each span's parameters against
 * the action's ORIGINAL schema (after dropping the nulls strict mode forces for
 * optional parameters). Every problem is listed, for the repair turn.
 */
export function checkReply(content: string, suite: Suite, stepRange: { first: number; last: number }): ReplyCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (err) {
    return { ok: false, problems: [`the reply is not valid JSON (${(err as Error).message})`] };
  }
  if (!isObject(parsed) || !Array.isArray(parsed.spans)) return { ok: false, problems: ['the reply must be a JSON object {"spans": [...]}'] };

  const problems: string[] = [];
  const spans: ClassifiedSpan[] = [];
  parsed.spans.forEach((raw: unknown, i: number) => {
    const at = `span ${i + 1}`;
    if (!isObject(raw)) return void problems.push(`${at} must be an object`);
    const action = raw.action;
    if (typeof action !== 'string' || !suite.actions[action]) {
      return void problems.push(`${at}: unknown action ${JSON.stringify(action)} (allowed: ${suite.actionNames.join(', ')})`);
    }
    const label = `${at} (${action})`;
    const { startStep, endStep } = raw;
    if (!Number.isInteger(startStep) || !Number.isInteger(endStep)) problems.push(`${label}: startStep and endStep must be integers`);
    else if ((startStep as number) > (endStep as number)) problems.push(`${label}: startStep ${startStep} is after endStep ${endStep}`);
    else if ((startStep as number) < stepRange.first || (endStep as number) > stepRange.last) {
      problems.push(`${label}: steps ${startStep}-${endStep} are outside the steps shown (${stepRange.first}-${stepRange.last})`);
    }
    const parameters = isObject(raw.parameters) ? dropNulls(raw.parameters) : raw.parameters;
    const paramProblems = isObject(parameters) ? suite.validateParameters(action, parameters) : ['parameters must be an object'];
    for (const p of paramProblems) problems.push(`${label}: ${p}`);
    const confidence = typeof raw.confidence === 'number' ? Math.min(1, Math.max(0, raw.confidence)) : 0.5;
    const evidence = Array.isArray(raw.evidence) ? raw.evidence.filter((e): e is string => typeof e === 'string') : [];
    if (paramProblems.length === 0 && isObject(parameters)) {
      spans.push({ action, startStep: startStep as number, endStep: endStep as number, parameters, confidence, evidence });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, spans };
}

function dropNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
