import { MAX_JSON_DEPTH, pathDeeperThan } from '../session/json-text.ts';
import type { HarEntry } from './har.ts';

/** Default cap on a kept body, in characters of decoded text. */
export const DEFAULT_MAX_BODY_CHARS = 64 * 1024;

const TEXTUAL = /^(text\/|application\/(json|[a-z.+-]*\+json|x-www-form-urlencoded|xml|[a-z.+-]*\+xml|graphql|javascript))/i;

/**
 * Turns a body into what a classifier reads: parsed JSON when it parses, an object of fields for
 * form bodies, otherwise text cut to `maxChars`. Binary bodies give undefined.
 */
export function parseBody(text: string | undefined, mimeType: string | undefined, maxChars: number): unknown {
  if (text === undefined || text === '') return undefined;
  const mime = (mimeType ?? '').toLowerCase();
  const trimmed = text.trim();
  if (mime.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    if (text.length <= maxChars * 4) {
      try {
        const value: unknown = JSON.parse(text);
        // Nesting deeper than a session document may have would overflow every reader after this one: keep it as text.
        if (pathDeeperThan(value, MAX_JSON_DEPTH) === undefined) return value;
      } catch {
        // not JSON after all: keep as text
      }
    }
  }
  if (mime.includes('x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (mime !== '' && !TEXTUAL.test(mime)) return undefined;
  return text.length > maxChars ? `${text.slice(0, maxChars)}…[truncated ${text.length - maxChars} chars]` : text;
}

/** The request body of an entry as text (postData.text, or its params joined as a form). */
export function requestBodyText(entry: HarEntry): string | undefined {
  const post = entry.request.postData;
  if (post === undefined) return undefined;
  if (post.text !== undefined) return post.text;
  if (post.params !== undefined) return new URLSearchParams(post.params.map((p): [string, string] => [p.name, p.value ?? ''])).toString();
  return undefined;
}

/** The response body of an entry as text, base64-decoded when `content.encoding` says so. */
export function responseBodyText(entry: HarEntry): string | undefined {
  const c = entry.response.content;
  if (c.text === undefined) return undefined;
  return c.encoding === 'base64' ? Buffer.from(c.text, 'base64').toString('utf8') : c.text;
}
