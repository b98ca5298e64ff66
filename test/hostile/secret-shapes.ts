/**
 * Credentials in the shapes that once leaked into cache.db, the API and model requests, each
 * planted where a recording carries it. Values are made up but have the real shapes.
 */

/** A deterministic string of `n` characters from `alphabet` (so the planted values never change). */
function pseudo(seed: number, n: number, alphabet: string): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[(x >>> 16) % alphabet.length];
  }
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = `${ALNUM}+/`;

const pemBody = Array.from({ length: 6 }, (_, i) => pseudo(900 + i, 64, BASE64)).join('\n');

/** Each shape: the secret that must never be seen again (the needle), planted as `where` says. */
export const SHAPES = {
  /** `X-OpenAI-Key: <key>` request header (a header named *key*; the value has no known prefix). */
  openaiKeyHeader: pseudo(1, 32, ALNUM),
  /** `sk-` key inside a JSON request body, under an innocent field name. */
  skKeyInJson: `sk-${pseudo(2, 40, ALNUM)}`,
  /** `sk-proj-` key inside a JSON request body. */
  skProjKeyInJson: `sk-proj-${pseudo(3, 58, `${ALNUM}_-`)}T3BlbkFJ${pseudo(4, 58, ALNUM)}`,
  /** An AWS access key id inside a JSON response body. */
  akiaInJson: `AKIA${pseudo(5, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
  /** `pass=` in a form body. */
  passFormField: `Pw${pseudo(6, 14, ALNUM)}`,
  /** `pin=` in a form body. */
  pinFormField: '83920571',
  /** A GitHub personal access token in a text response. */
  ghpToken: `ghp_${pseudo(7, 36, ALNUM)}`,
  /** The body of a PEM private key in a JSON response. */
  pemPrivateKey: pemBody.split('\n')[2]!,
  /** `authorization: bearer <token>` in lower case inside a text/plain request body. */
  lowercaseBearerInText: pseudo(8, 40, ALNUM),
  /** What a person typed into a field named passcode. */
  typedPasscode: 'Qz604917Xk',
} as const;

export const PEM_PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${pemBody}\n-----END RSA PRIVATE KEY-----\n`;

export const NEEDLES: readonly [string, string][] = Object.entries(SHAPES);
