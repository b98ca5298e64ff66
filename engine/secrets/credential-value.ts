import { TOKEN_RULES } from './token-rules.ts';

/** A whole value that starts like one of TOKEN_RULES' tokens, a bearer header or a JWT. */
const CREDENTIAL_START = new RegExp(`^(?:${[...TOKEN_RULES.map((r) => `(?:${r.prefix})${r.body}{4}`), 'Bearer\\s', 'eyJ[A-Za-z0-9_-]{8,}\\.'].join('|')})`);

/**
 * True when a whole value (a config string, an API key field) is a credential by its start,
 * even one too short for the text patterns: `sk-abc123` in a config is a key.
 */
export function isCredentialValue(value: string): boolean {
  return CREDENTIAL_START.test(value);
}
