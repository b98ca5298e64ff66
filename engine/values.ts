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
/** A string that is a credential whatever its key: an OpenAI-style key, a bearer header, a JWT. */
const SECRET_VALUE = /^(sk-[A-Za-z0-9]|Bearer\s|eyJ[A-Za-z0-9_-]{8,}\.)/;
/** Words that make a key a secret (`authToken`, `client_secret`, `X-Cookie`); `maxTokens` is not one. */
const SECRET_WORDS = new Set(['token', 'secret', 'password', 'passwd', 'authorization', 'cookie', 'credential', 'credentials', 'bearer']);
/** Secrets written as one word or split into harmless-looking ones (`apikey`, `api_key`, `privateKey`). */
const SECRET_COMPOUNDS = ['apikey', 'accesskey', 'secretkey', 'privatekey'];

/** True for a config key whose value is a credential; a key ending in `Env` names a variable and is not. */
function isSecretKey(key: string): boolean {
  if (key.endsWith('Env')) return false;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  const joined = words.join('');
  return SECRET_COMPOUNDS.some((c) => joined.includes(c));
}

/**
 * Masks credentials in a configuration value: anything under a secret-looking key
 * (`apiKey`, `authToken`, `password`, `Authorization`...), strings that look like keys
 * or tokens, and passwords inside URLs. So a config snapshot, a cache key or an example
 * record never holds one. `apiKeyEnv` (the name of a variable) is kept.
 */
export function redactSecrets<T>(value: T): T {
  if (typeof value === 'string') return (SECRET_VALUE.test(value) ? REDACTED : value.replace(URL_PASSWORD, `$1${REDACTED}@`)) as T;
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redactSecrets(v);
  return out as T;
}

const REDACTED = '[REDACTED]';
