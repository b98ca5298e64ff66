import { shannonEntropy } from './entropy.ts';

/** Headers that always carry credentials, whatever their value looks like. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Words that make a name a credential whatever its value (`access_token`, `X-Auth-Token`, `clientSecret`, `pin`). */
const SECRET_WORDS = new Set([
  'token',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passcode',
  'pin',
  'pincode',
  'secret',
  'auth',
  'authorization',
  'cookie',
  'session',
  'sid',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'jwt',
  'bearer',
  'csrf',
  'xsrf',
  'otp',
  'totp',
  'signature',
  'sig',
  'passphrase',
  'privatekey',
]);

/** Credentials written as one word or split into harmless-looking words (`apikey`, `api_key`, `sessionid`). */
const SECRET_COMPOUNDS = [
  'apikey',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'sessionid',
  'sessiontoken',
  'clientsecret',
  'privatekey',
  'password',
  'secret',
  'accesskey',
  'secretkey',
  'passcode',
  'pincode',
];

/**
 * Words that make a name a credential when its value looks like one: gitleaks' generic-api-key
 * keywords (`openai_key`, `X-OpenAI-Key`, `license-key`, `api`). `sortKey: "date"` stays.
 */
const KEY_WORDS = new Set(['key', 'api', 'access']);

/** Splits `clientSecret`, `X-API-Key`, `access_token` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** True when a header, query parameter, form or body field, or config key of this name holds a credential. */
export function isSecretName(name: string): boolean {
  if (SECRET_HEADERS.has(name.toLowerCase())) return true;
  const ws = nameWords(name);
  if (ws.some((w) => SECRET_WORDS.has(w))) return true;
  const joined = ws.join('');
  return SECRET_COMPOUNDS.some((c) => joined.includes(c));
}

/** True when a name holds a credential if its value looks like one (see looksLikeKey). */
export function isKeyName(name: string): boolean {
  return nameWords(name).some((w) => KEY_WORDS.has(w));
}

/** A value gitleaks' generic rule takes for a key: 10+ token characters, not only letters, random enough. */
const TOKEN_VALUE = /^[\w.=+/~-]{10,}$/;
const LETTERS_ONLY = /^[a-zA-Z_.-]+$/;

/** True for a value that looks like a key or token rather than a word, a date or a number. */
export function looksLikeKey(value: string): boolean {
  return TOKEN_VALUE.test(value) && !LETTERS_ONLY.test(value) && shannonEntropy(value) >= 3.5;
}

/**
 * True when a field of this name and value should be masked: a secret name (any value), or a
 * key-like name whose value looks like a key.
 */
export function isSecretPair(name: string, value: string): boolean {
  return isSecretName(name) || (isKeyName(name) && looksLikeKey(value));
}
