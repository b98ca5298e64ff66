import { shannonEntropy } from './entropy.ts';
import { isKeyName, isSecretName, looksLikeKey } from './names.ts';
import { maskPrivateKeys } from './private-keys.ts';
import { REDACTED } from './redacted.ts';
import { TOKEN_RULES } from './token-rules.ts';

/*
 * Every pattern here runs in time linear in the text (a 1 MB token-like body takes
 * milliseconds): each starts only where a run of its characters starts (the lookbehinds),
 * and every repeat either is bounded or runs to the end of its characters with nothing after
 * it that could fail, so no attempt re-reads text another attempt already read.
 */

/** Every token rule in one pattern (one pass over the text), a capturing group per rule. */
const TOKENS = new RegExp(`(?<![A-Za-z0-9_])(?:${TOKEN_RULES.map((r) => `((?:${r.prefix})${r.body}{${r.min},})`).join('|')})`, 'g');

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** `Bearer <token>` and the other HTTP auth schemes, in any case (`authorization: bearer ...` in a text body). */
const SCHEME_TOKEN = /(?<![A-Za-z0-9_-])(bearer|basic|digest|token|negotiate)([ \t]{1,16})([A-Za-z0-9._~+/=-]{8,})/gi;
/** `scheme://user:password@`: the password. */
const USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/:@]{1,256}:)([^\s/@]{1,1024})@/gi;
/** The name and operator of `name=value`, `name: value`, `"name": "value"`, `name => value`. */
const NAME_OP = /(?<![\w.[\]-])(["']?)([\w.[\]-]+)\1[ \t]{0,3}(=>|:=|=|:)[ \t]{0,5}/g;
const UNQUOTED_VALUE = /[^\s&#"'<>,;]*/y;
const AUTH_SCHEME_WORD = /^(bearer|basic|digest|token|negotiate)$/i;
const SCHEME_REST = /[ \t]+[^\s&#"'<>,;]+/y;
const LETTERS_ONLY = /^[A-Za-z]+$/;
/** Longest value of a key-like name judged by its look; anything longer under such a name is masked. */
const KEY_VALUE_LOOK_LIMIT = 512;

/**
 * Masks every credential in free text, keeping the rest exactly as it was: provider keys and
 * tokens by shape (TOKEN_RULES, JWTs, PEM private keys), auth-scheme tokens, URL passwords,
 * and the values of secret-named `name=value` / `name: value` / `"name": "value"` pairs.
 */
export function maskSecrets(text: string): string {
  if (text === '') return text;
  return maskPairs(
    maskPrivateKeys(text)
      .replace(TOKENS, (m: string, ...groups: unknown[]) => {
        const rule = TOKEN_RULES[groups.findIndex((g) => g !== undefined)];
        return rule?.entropy === undefined || shannonEntropy(m) >= rule.entropy ? REDACTED : m;
      })
      .replace(JWT, REDACTED)
      .replace(SCHEME_TOKEN, (m, scheme: string, gap: string, token: string) =>
        scheme.toLowerCase() === 'bearer' || !LETTERS_ONLY.test(token) ? `${scheme}${gap}${REDACTED}` : m,
      )
      .replace(USERINFO, (_m, head: string) => `${head}${REDACTED}@`),
  );
}

/** Masks the values of secret-named pairs; a value is read only when its name is a secret one. */
function maskPairs(text: string): string {
  let out = '';
  let last = 0;
  // Names repeat (every `a=` of a query string): each is judged once per text.
  const kinds = new Map<string, NameKind>();
  NAME_OP.lastIndex = 0;
  for (let m = NAME_OP.exec(text); m !== null; m = NAME_OP.exec(text)) {
    const name = m[2]!.slice(-128);
    let kind = kinds.get(name);
    if (kind === undefined) kinds.set(name, (kind = nameKind(name)));
    if (kind === 'plain') continue;
    const secret = kind === 'secret';
    const value = readValue(text, NAME_OP.lastIndex, secret ? Infinity : KEY_VALUE_LOOK_LIMIT);
    if (value.text === '' || value.text === REDACTED) continue;
    if (!secret && !value.tooLong && !looksLikeKey(value.text)) continue;
    out += text.slice(last, value.start) + REDACTED;
    last = value.end;
    NAME_OP.lastIndex = value.end;
  }
  return last === 0 ? text : out + text.slice(last);
}

type NameKind = 'secret' | 'key' | 'plain';

function nameKind(name: string): NameKind {
  return isSecretName(name) ? 'secret' : isKeyName(name) ? 'key' : 'plain';
}

interface Value {
  start: number;
  end: number;
  text: string;
  /** The value runs past the look limit (its end was found, its look was not judged). */
  tooLong: boolean;
}

/** The value after `name=` at `at`: a quoted string (to its closing quote) or a bare word, with an auth scheme's token. */
function readValue(text: string, at: number, lookLimit: number): Value {
  const quote = text[at];
  if (quote === '"' || quote === "'") {
    const start = at + 1;
    const end = closingQuote(text, start, quote);
    return { start, end, text: text.slice(start, Math.min(end, start + lookLimit)), tooLong: end - start > lookLimit };
  }
  UNQUOTED_VALUE.lastIndex = at;
  let end = at + UNQUOTED_VALUE.exec(text)![0].length;
  if (AUTH_SCHEME_WORD.test(text.slice(at, end))) {
    SCHEME_REST.lastIndex = end;
    const rest = SCHEME_REST.exec(text);
    if (rest !== null) end += rest[0].length;
  }
  return { start: at, end, text: text.slice(at, Math.min(end, at + lookLimit)), tooLong: end - at > lookLimit };
}

/** Index of the quote that closes a string opened before `from` (backslash escapes skipped), or the line's or text's end. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === quote || c === '\n') return i;
  }
  return text.length;
}
