import { isSecretName, isSecretPair, maskSecrets, nameWords, REDACTED } from '../../engine/secrets/index.ts';
import { isPlainObject as isObj } from '../../engine/values.ts';
import type { Target } from '../session/model.ts';
import type { NetworkRequest } from '../session/timeline.ts';
import type { Har, HarEntry, HarNameValue } from './har.ts';

export { isSecretName, REDACTED };

/** A form field whose typed value is a credential: a password input, or a field named like one (otp, api_key). */
export function isSecretField(t: Target | undefined): boolean {
  if (!t) return false;
  if (t.inputType?.toLowerCase() === 'password') return true;
  return [t.field, t.id, t.name, t.selector].some((n) => n !== undefined && isSecretName(n));
}

/** Masks every credential in a string (engine/secrets' rules); a JSON document is masked field by field. */
export function redactString(text: string): string {
  if (text === '') return text;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(text)));
    } catch {
      // not JSON as a whole: fall through to pattern masking
    }
  }
  return maskTokens(text);
}

/**
 * The pattern half of redactString: masks credentials without re-serializing JSON, so text a
 * person typed keeps its exact form.
 */
export const maskTokens = maskSecrets;

/** Deep copy of a JSON value with secret-named fields replaced and every string pattern-masked. */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretValue(k, v) ? REDACTED : redactJson(v);
    }
    return out;
  }
  return value;
}

/** A field that holds a credential: a secret name, or a key-like name whose string value looks like a key. */
function isSecretValue(name: string, v: unknown): boolean {
  if (v === null || v === '' || typeof v === 'boolean') return false;
  return typeof v === 'string' ? isSecretPair(name, v) : isSecretName(name);
}

/** Masks secret query parameters (and URL passwords, tokens) of a URL, keeping its shape. */
export function redactUrl(url: string): string {
  return redactString(url);
}

/** Masks the values of credential headers (Authorization, Cookie, X-API-Key ...) and tokens in other values. */
export function redactHeaders<T extends HarNameValue>(headers: T[]): T[] {
  return headers.map((h) => ({ ...h, value: isSecretHeader(h.name) ? REDACTED : redactString(String(h.value ?? '')) }));
}

/** Headers named like a secret or ending in "key" (`X-OpenAI-Key`, `Ocp-Apim-Subscription-Key`) carry credentials, whatever the value. */
function isSecretHeader(name: string): boolean {
  return isSecretName(name) || nameWords(name).at(-1) === 'key';
}

/** Same as redactHeaders, for a `{name: value}` record. */
export function redactHeaderRecord(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretHeader(k) ? REDACTED : redactString(v);
  return out;
}

/** Masks a body given as text: JSON fields by name, form fields by name, tokens anywhere. */
export function redactBodyText(text: string): string {
  return redactString(text);
}

/** A HAR entry with every credential masked: headers, cookies, query, URL, post data, response body. */
export function redactHarEntry(entry: HarEntry): HarEntry {
  const { request, response } = entry;
  const postData = request.postData;
  const content = response.content;
  const out: HarEntry = {
    ...entry,
    request: {
      ...request,
      url: redactUrl(request.url),
      headers: redactHeaders(request.headers),
      ...(request.cookies === undefined ? {} : { cookies: request.cookies.map(maskCookie) }),
      ...(request.queryString === undefined
        ? {}
        : {
            queryString: request.queryString.map((q) => ({
              ...q,
              value: isSecretValue(q.name, String(q.value ?? '')) ? REDACTED : redactString(String(q.value ?? '')),
            })),
          }),
      ...(postData === undefined
        ? {}
        : {
            postData: {
              ...postData,
              ...(postData.text === undefined ? {} : { text: redactBodyText(postData.text) }),
              ...(postData.params === undefined
                ? {}
                : {
                    params: postData.params.map((p) => ({
                      ...p,
                      value: isSecretValue(p.name, String(p.value ?? '')) ? REDACTED : redactString(String(p.value ?? '')),
                    })),
                  }),
            },
          }),
    },
    response: {
      ...response,
      headers: redactHeaders(response.headers),
      ...(response.cookies === undefined ? {} : { cookies: response.cookies.map(maskCookie) }),
      ...(response.redirectURL === undefined ? {} : { redirectURL: redactUrl(response.redirectURL) }),
      content: redactContent(content),
    },
  };
  return out;
}

function redactContent(content: HarEntry['response']['content']): HarEntry['response']['content'] {
  if (content.text === undefined) return content;
  if (content.encoding === 'base64') {
    const decoded = Buffer.from(content.text, 'base64').toString('utf8');
    // Binary bodies (images) are left alone: a token pattern cannot meaningfully occur in them.
    if (!isMostlyText(decoded)) return content;
    const masked = redactBodyText(decoded);
    return masked === decoded ? content : { ...content, text: Buffer.from(masked, 'utf8').toString('base64') };
  }
  return { ...content, text: redactBodyText(content.text) };
}

function isMostlyText(s: string): boolean {
  let bad = 0;
  const n = Math.min(s.length, 2000);
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) === 0xfffd || s.charCodeAt(i) < 9) bad++;
  return bad <= n / 50;
}

function maskCookie<T extends HarNameValue>(cookie: T): T {
  return { ...cookie, value: REDACTED };
}

/** A whole HAR with every entry redacted (pages' titles too, which some recorders set to the URL). */
export function redactHar(har: Har): Har {
  return {
    log: {
      ...har.log,
      ...(har.log.pages === undefined
        ? {}
        : { pages: har.log.pages.map((p) => ({ ...p, ...(p.title === undefined ? {} : { title: redactString(p.title) }) })) }),
      entries: har.log.entries.map(redactHarEntry),
    },
  };
}

/** A NetworkRequest with its URL, headers and bodies redacted (idempotent). */
export function redactRequest(req: NetworkRequest): NetworkRequest {
  return {
    ...req,
    url: redactUrl(req.url),
    ...(req.requestHeaders === undefined ? {} : { requestHeaders: redactHeaderRecord(req.requestHeaders) }),
    ...(req.requestBody === undefined ? {} : { requestBody: redactJson(req.requestBody) }),
    ...(req.responseBody === undefined ? {} : { responseBody: redactJson(req.responseBody) }),
  };
}

/**
 * Redacts whatever it is given, by shape: a HAR document, a HAR entry, a NetworkRequest, a
 * string, or any JSON value (secret-named fields masked, strings pattern-masked).
 */
export function redact<T>(value: T): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (isObj(value)) {
    if (isObj(value['log']) && Array.isArray(value['log']['entries'])) return redactHar(value as unknown as Har) as T;
    if (isObj(value['request']) && isObj(value['response'])) return redactHarEntry(value as unknown as HarEntry) as T;
    if (typeof value['url'] === 'string' && typeof value['method'] === 'string' && typeof value['t'] === 'number') {
      return redactRequest(value as unknown as NetworkRequest) as T;
    }
  }
  return redactJson(value) as T;
}
