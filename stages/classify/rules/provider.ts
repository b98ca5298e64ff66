import { canonicalJson } from '../../../engine/hash.ts';
import type { ClassifiedSpan } from '../../../domain/session/classification.ts';
import type { NetworkRequest, Step, Timeline } from '../../../domain/session/timeline.ts';
import type { ClickTrigger, EvidenceRule, RequestTrigger, Suite, TypeTrigger } from '../../../domain/suite/index.ts';
import { resolveParameter, type ExtractionScope } from './extract.ts';
import { matchUrl, queryMatches, textMatches, urlQuery } from './patterns.ts';

/** A rule match before overlapping matches are resolved. */
interface Candidate {
  action: string;
  /** Index into timeline.steps of the step the evidence sits on. */
  anchor: number;
  /** Order within the step (request index), for stable sorting. */
  order: number;
  fromRequest: boolean;
  rule: EvidenceRule;
  scope: Omit<ExtractionScope, 'typed'>;
  evidence: string;
}

interface LocatedRequest {
  req: NetworkRequest;
  stepIndex: number;
  order: number;
}

/** A UI-evidence match this close (in steps) to a request match of the same action is the same action. */
const SAME_ACTION_WINDOW = 2;

/**
 * The deterministic classifier: applies the Suite's evidence rules to a timeline.
 * Request evidence wins over UI evidence for the same action nearby; an identical
 * action repeated with nothing in between (a list refresh re-running a search) counts once.
 */
export function classifyWithRules(timeline: Timeline, suite: Suite): ClassifiedSpan[] {
  const steps = timeline.steps;
  if (steps.length === 0) return [];
  const requests = locateRequests(timeline);
  const candidates: Candidate[] = [];

  for (const [action, spec] of Object.entries(suite.actions)) {
    for (const rule of spec.evidence) {
      if ('request' in rule) candidates.push(...matchRequests(action, rule, rule.request, requests, steps));
      else if ('click' in rule) candidates.push(...matchClicks(action, rule, rule.click, steps));
      else candidates.push(...matchTyping(action, rule, rule.type, steps));
    }
  }

  candidates.sort((a, b) => a.anchor - b.anchor || a.order - b.order || Number(b.fromRequest) - Number(a.fromRequest));
  const kept = dropShadowedUiMatches(candidates);

  const spans: ClassifiedSpan[] = [];
  const seenByRule = new Map<EvidenceRule, Set<string>>();
  let windowStart = 0;
  for (const c of kept) {
    const typed = typedSince(steps, windowStart, c.anchor);
    const built = buildSpan(c, suite, steps, windowStart, typed);
    if (c.rule.distinct) {
      const seen = seenByRule.get(c.rule) ?? new Set<string>();
      seenByRule.set(c.rule, seen);
      const key = canonicalJson(built.parameters);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    windowStart = c.anchor + 1;
    const prev = spans.at(-1);
    if (prev && prev.action === built.action && canonicalJson(prev.parameters) === canonicalJson(built.parameters)) {
      // Two pieces of evidence for the same action and parameters: the stronger one sets the confidence.
      prev.endStep = built.endStep;
      prev.confidence = Math.max(prev.confidence, built.confidence);
      prev.evidence.push(...built.evidence);
      continue;
    }
    spans.push(built);
  }
  return spans;
}

function locateRequests(timeline: Timeline): LocatedRequest[] {
  const out: LocatedRequest[] = [];
  let order = 0;
  // Requests before the first step (page load) belong to no action of the person's; they can only be evidence for step 1.
  for (const req of timeline.preamble) out.push({ req, stepIndex: 0, order: order++ });
  timeline.steps.forEach((step, i) => {
    for (const req of step.network) out.push({ req, stepIndex: i, order: order++ });
  });
  return out;
}

function requestMatches(trigger: RequestTrigger, req: NetworkRequest): Record<string, string> | null {
  if (trigger.method && trigger.method.toUpperCase() !== req.method.toUpperCase()) return null;
  if ((trigger.ok ?? true) && req.status !== undefined && (req.status >= 400 || req.status === 0)) return null;
  const params = matchUrl(trigger.url, req.url);
  if (!params) return null;
  if (trigger.query) {
    const q = urlQuery(req.url);
    for (const [name, m] of Object.entries(trigger.query)) if (!queryMatches(m, q[name])) return null;
  }
  return params;
}

function matchRequests(action: string, rule: EvidenceRule, trigger: RequestTrigger, requests: LocatedRequest[], steps: Step[]): Candidate[] {
  const out: Candidate[] = [];
  requests.forEach((located, i) => {
    const params = requestMatches(trigger, located.req);
    if (!params) return;
    const seen = (conditions: typeof rule.unlessFollowedBy, among: LocatedRequest[]) =>
      conditions?.some((f) =>
        among.some((other) => {
          const otherParams = requestMatches(f.request, other.req);
          return otherParams !== null && (f.sameParam === undefined || otherParams[f.sameParam] === params[f.sameParam]);
        }),
      ) ?? false;
    if (seen(rule.unlessFollowedBy, requests.slice(i + 1)) || seen(rule.unlessPrecededBy, requests.slice(0, i))) return;
    const step = steps[located.stepIndex]!;
    out.push({
      action,
      anchor: located.stepIndex,
      order: located.order,
      fromRequest: true,
      rule,
      scope: {
        request: { method: located.req.method, url: located.req.url, body: parseBody(located.req.requestBody), params, query: urlQuery(located.req.url) },
        step: step as unknown as Record<string, unknown>,
      },
      evidence: `step ${step.id}: ${located.req.method.toUpperCase()} ${pathAndQuery(located.req.url)}`,
    });
  });
  return out;
}

function matchClicks(action: string, rule: EvidenceRule, t: ClickTrigger, steps: Step[]): Candidate[] {
  const out: Candidate[] = [];
  steps.forEach((step, i) => {
    if (step.kind !== 'click' && step.kind !== 'double_click' && step.kind !== 'submit') return;
    const target = step.target ?? {};
    const checks: [string | undefined, string | undefined][] = [
      [t.role, target.role],
      [t.name, target.name ?? target.text],
      [t.text, target.text ?? target.name],
      [t.selector, target.selector],
      [t.id, target.id],
    ];
    if (!checks.every(([m, v]) => m === undefined || textMatches(m, v))) return;
    out.push(stepCandidate(action, rule, step, i, `step ${step.id}: ${step.kind} ${describeTarget(step)}`));
  });
  return out;
}

/** A candidate anchored at the step the person took (not a request), with what the rule saw there. */
function stepCandidate(action: string, rule: EvidenceRule, step: Step, i: number, evidence: string): Candidate {
  return { action, anchor: i, order: -1, fromRequest: false, rule, scope: { step: step as unknown as Record<string, unknown> }, evidence };
}

function matchTyping(action: string, rule: EvidenceRule, t: TypeTrigger, steps: Step[]): Candidate[] {
  const out: Candidate[] = [];
  steps.forEach((step, i) => {
    if (step.kind !== 'type' || !step.text) return;
    const target = step.target ?? {};
    if (t.field !== undefined && ![target.field, target.name, target.id].some((v) => textMatches(t.field!, v))) return;
    if (t.role !== undefined && !textMatches(t.role, target.role)) return;
    if (t.name !== undefined && !textMatches(t.name, target.name)) return;
    if (t.submitted && !isSubmitted(step, steps[i + 1])) return;
    out.push(stepCandidate(action, rule, step, i, `step ${step.id}: typed ${JSON.stringify(step.text)} into ${describeTarget(step)}`));
  });
  return out;
}

function isSubmitted(step: Step, next: Step | undefined): boolean {
  if (step.text?.endsWith('\n')) return true;
  if (!next) return false;
  if (next.kind === 'submit') return true;
  return next.kind === 'hotkey' && (next.keys ?? []).some((k) => k === 'Enter');
}

/**
 * UI evidence is a fallback for sessions without network: it is dropped when a
 * request match of the same action is nearby, or when the clicked step itself
 * or the next (the form submit after the click) caused a request that is evidence
 * of another action: a Send button in a reply form is a reply, not a new message.
 */
function dropShadowedUiMatches(sorted: Candidate[]): Candidate[] {
  return sorted.filter(
    (c) =>
      c.fromRequest ||
      !sorted.some(
        (o) =>
          o.fromRequest && (o.action === c.action ? Math.abs(o.anchor - c.anchor) <= SAME_ACTION_WINDOW : o.anchor - c.anchor >= 0 && o.anchor - c.anchor <= 1),
      ),
  );
}

/** Text typed into each field (by field name, label or id, lower-cased) in steps [from, to]; the last run per field wins. */
function typedSince(steps: Step[], from: number, to: number): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const step of steps.slice(from, to + 1)) {
    if (step.kind !== 'type' || step.text === undefined) continue;
    for (const key of [step.target?.field, step.target?.name, step.target?.id]) if (key) typed[key.toLowerCase()] = step.text;
  }
  return typed;
}

function buildSpan(c: Candidate, suite: Suite, steps: Step[], windowStart: number, typed: Record<string, string>): ClassifiedSpan {
  const spec = suite.actions[c.action]!;
  const scope: ExtractionScope = { ...c.scope, typed };
  const parameters: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(c.rule.parameters)) {
    const v = resolveParameter(source, scope);
    if (v !== undefined) parameters[name] = v;
  }
  const required = new Set((spec.parameters.required as string[] | undefined) ?? []);
  for (const [name, prop] of Object.entries(spec.parameters.properties)) {
    if (parameters[name] === undefined && required.has(name) && prop.type === 'array') parameters[name] = [];
  }
  const problems = suite.validateParameters(c.action, parameters);
  const evidence = [c.evidence, ...problems.map((p) => `incomplete: ${p}`)];
  return {
    action: c.action,
    startStep: steps[Math.min(windowStart, c.anchor)]!.id,
    endStep: steps[c.anchor]!.id,
    parameters,
    confidence: problems.length === 0 ? c.rule.confidence : Math.round(c.rule.confidence * 50) / 100,
    evidence,
  };
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return Object.fromEntries(new URLSearchParams(body));
  }
}

function pathAndQuery(url: string): string {
  try {
    const u = new URL(url, 'http://localhost');
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

function describeTarget(step: Step): string {
  const t = step.target;
  if (!t) return 'an unnamed target';
  return [t.role, t.name ?? t.text ?? t.field ?? t.selector].filter(Boolean).join(' ') || 'an unnamed target';
}
