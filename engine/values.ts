/** One difference between two JSON values, by dotted path. */
export interface ValueChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** Lists every leaf that differs between two JSON values (objects by key, arrays compared whole). */
export function diffValues(before: unknown, after: unknown, path = ''): ValueChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path === '' ? k : `${path}.${k}`));
  }
  return sameJson(before, after) ? [] : [{ path, before, after }];
}

export function formatValue(v: unknown): string {
  if (v === undefined) return '(unset)';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
