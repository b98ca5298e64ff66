import { isCredentialValue, isSecretName, isSecretPair, maskSecrets, nameWords, REDACTED } from './secrets/index.ts';

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

/** True for a config key whose value is a credential; a key ending in `Env` names a variable and is not. */
/**
 * A string is judged by its name and shape; another value by its name, except that "session"
 * is this tool's own vocabulary in a config (`screenshots.maxPerSession: 12`): masking such a
 * setting would make a resumed run differ from the run it resumes. Objects are looked into.
 */
function isSecretKey(key: string, value: unknown): boolean {
  if (key.endsWith('Env') || value === null || value === undefined || value === '') return false;
  if (typeof value === 'string') return isSecretPair(key, value);
  if (isPlainObject(value) || Array.isArray(value)) return false;
  return isSecretName(key) && !nameWords(key).includes('session');
}

/**
 * Masks credentials in a configuration value: anything under a secret-looking key
 * (`apiKey`, `authToken`, `password`, `Authorization`...), strings that are keys or tokens
 * (engine/secrets' rules), and credentials inside other strings (URL passwords). So a config
 * snapshot, a cache key or an example record never holds one. `apiKeyEnv` (the name of a
 * variable) is kept.
 */
export function redactSecrets<T>(value: T): T {
  if (typeof value === 'string') return (isCredentialValue(value) ? REDACTED : maskSecrets(value)) as T;
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k, v) ? REDACTED : redactSecrets(v);
  return out as T;
}
