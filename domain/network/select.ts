import picomatch from 'picomatch';
import type { NetworkRequest } from '../session/timeline.ts';
import { DEFAULT_MAX_BODY_CHARS, parseBody, requestBodyText, responseBodyText } from './body.ts';
import type { HarEntry } from './har.ts';
import { redactHarEntry, redactRequest, redactUrl } from './redact.ts';
import { isStaticAsset } from './static-assets.ts';

export interface SelectOptions {
  /** URL globs a request must match (any of); matched against the full URL and against path+query. */
  include?: string[];
  /** URL globs that drop a request. */
  exclude?: string[];
  dropStaticAssets: boolean;
  /** Epoch ms of the session's t = 0. */
  startedAtMs: number;
  /** Cap on each kept body (decoded characters). */
  maxBodyChars?: number;
}

function matcher(globs: string[] | undefined): ((url: string) => boolean) | undefined {
  if (globs === undefined || globs.length === 0) return undefined;
  const isMatch = picomatch(globs, { dot: true });
  return (url) => {
    if (isMatch(url)) return true;
    try {
      const u = new URL(url);
      return isMatch(u.pathname) || isMatch(u.pathname + u.search);
    } catch {
      return false;
    }
  };
}

/**
 * The requests a classifier should see: filtered by globs and asset type, timed relative to the
 * session start, bodies parsed and capped, credentials redacted. Sorted by time; ids are
 * `network.har#<entry index>`.
 *
 * Globs see the redacted URL. A kept entry is redacted whole before its bodies are parsed and
 * cut (a secret split by the cut would escape the patterns), and the request again after
 * (form decoding can reveal a token); entries that are dropped are never redacted.
 */
export function selectRequests(entries: HarEntry[], opts: SelectOptions): NetworkRequest[] {
  const keep = requestSelector(opts);
  const out: NetworkRequest[] = [];
  entries.forEach((raw, index) => {
    const req = keep(raw, index);
    if (req !== undefined) out.push(req);
  });
  return out.sort((a, b) => a.t - b.t);
}

/**
 * selectRequests one entry at a time, for callers that yield between entries: the function
 * gives the request entry `index` becomes, or undefined when the options drop it.
 */
export function requestSelector(opts: SelectOptions): (raw: HarEntry, index: number) => NetworkRequest | undefined {
  const include = matcher(opts.include);
  const exclude = matcher(opts.exclude);
  const maxChars = opts.maxBodyChars ?? DEFAULT_MAX_BODY_CHARS;
  return (raw, index) => {
    const url = redactUrl(raw.request.url);
    const mimeType = raw.response.content.mimeType;
    if (include !== undefined && !include(url)) return undefined;
    if (exclude?.(url) === true) return undefined;
    if (opts.dropStaticAssets && isStaticAsset(url, mimeType)) return undefined;
    const entry = redactHarEntry(raw);
    const headers: Record<string, string> = {};
    for (const h of entry.request.headers) headers[h.name.toLowerCase()] = String(h.value ?? '');
    const requestBody = parseBody(requestBodyText(entry), entry.request.postData?.mimeType, maxChars);
    const responseBody = parseBody(responseBodyText(entry), mimeType, maxChars);
    const req: NetworkRequest = {
      id: `network.har#${index}`,
      t: Date.parse(entry.startedDateTime) - opts.startedAtMs,
      method: entry.request.method.toUpperCase(),
      url,
      ...(entry.response.status > 0 ? { status: entry.response.status } : {}),
      requestHeaders: headers,
      ...(requestBody === undefined ? {} : { requestBody }),
      ...(responseBody === undefined ? {} : { responseBody }),
      ...(mimeType === undefined || mimeType === '' ? {} : { mimeType }),
    };
    return redactRequest(req);
  };
}
