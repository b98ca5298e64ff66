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
  const s = typeof v === 'string' && v !== '' && !/\s/.test(v) ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `scheme://user:password@host`: the password part. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi;
const SECRET_KEY = /^(api[_-]?key|apikey|token|access[_-]?token|secret|client[_-]?secret|password|authorization|bearer)$/i;

/**
 * Masks values under secret-looking keys (`apiKey`, `token`, `password`...), so a
 * config snapshot or a cache key never holds a credential. `apiKeyEnv` (the name
 * of a variable) is not a secret and is kept.
 */
export function redactSecrets<T>(value: T): T {
  if (typeof value === 'string') return value.replace(URL_PASSWORD, '$1[REDACTED]@') as T;
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '[REDACTED]' : redactSecrets(v);
  return out as T;
}
