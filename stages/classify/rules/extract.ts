import type { ParameterSource } from '../../../domain/suite/index.ts';

/** What a parameter path can read: the matched request, the step, and text typed per field since the last action. */
export interface ExtractionScope {
  request?: { method: string; url: string; body: unknown; params: Record<string, string>; query: Record<string, string> };
  step: Record<string, unknown>;
  typed: Record<string, string>;
}

/** Resolves one parameter source; undefined when the path yields nothing and there is no default. */
export function resolveParameter(source: ParameterSource, scope: ExtractionScope): unknown {
  const spec = typeof source === 'string' ? { from: source } : source;
  let value: unknown = spec.value !== undefined ? structuredClone(spec.value) : spec.from ? readPath(scope, spec.from) : undefined;
  if (typeof value === 'string' && spec.split !== undefined) {
    value = value
      .split(spec.split)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  if (spec.map) {
    const map = spec.map;
    const rename = (v: unknown) => (typeof v === 'string' && v in map ? map[v] : v);
    value = Array.isArray(value) ? value.map(rename) : rename(value);
  }
  if (value === undefined || value === null || value === '') value = spec.default !== undefined ? structuredClone(spec.default) : undefined;
  return value;
}

function readPath(scope: ExtractionScope, path: string): unknown {
  const [head, ...rest] = path.split('.');
  if (head === 'typed') {
    const field = rest.join('.').toLowerCase();
    return scope.typed[field];
  }
  let cur: unknown = head === 'request' ? scope.request : head === 'step' ? scope.step : undefined;
  for (const key of rest) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
