/**
 * The one set of secret rules tracepipe has: which names hold credentials, which values are
 * credentials by their shape, and how to mask them in text. Config snapshots and cache keys
 * (engine/values.ts), recorded traffic (domain/network) and typed text all use it.
 */
export { REDACTED } from './redacted.ts';
export { isKeyName, isSecretName, isSecretPair, looksLikeKey, nameWords } from './names.ts';
export { maskSecrets } from './mask-text.ts';
export { isCredentialValue } from './credential-value.ts';
export { TOKEN_RULES, type TokenRule } from './token-rules.ts';
