const SECRET_KEY = /(api[-_]?key|token|secret|password|passwd|authorization|cookie|bearer|credential)/i;
const SECRET_VALUE = /^(sk-|Bearer\s|eyJ[A-Za-z0-9_-]{8,}\.)/;

/**
 * A model configuration fit for an example file: values under secret-looking keys
 * and secret-looking strings become "[redacted]". Keys ending in `Env` name an
 * environment variable, not its value, and are kept (e.g. `apiKeyEnv`).
 */
export function redactConfig(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key) && !/Env$/.test(key)) return '[redacted]';
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? '[redacted]' : value;
  if (Array.isArray(value)) return value.map((v) => redactConfig(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  }
  return value;
}
