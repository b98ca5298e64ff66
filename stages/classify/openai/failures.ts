import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';

/**
 * What went wrong with one HTTP attempt, as data:
 * - timeout: no reply within timeoutMs (retried; the server may just be slow)
 * - transient: 408/409/425/429/5xx, a dropped connection, an unparsable body (retried)
 * - permanent: 400/401/403/404/422 and other 4xx (never retried: repeating cannot help)
 * - aborted: the run was interrupted
 */
export type FailureKind = 'timeout' | 'transient' | 'permanent' | 'aborted';

export interface CallFailure {
  kind: FailureKind;
  status?: number;
  /** Server-requested wait (Retry-After / retry-after-ms), in ms. */
  retryAfterMs?: number;
  message: string;
}

const TRANSIENT_STATUS = new Set([408, 409, 425, 429]);

export function describeFailure(err: unknown, now = Date.now()): CallFailure {
  if (err instanceof APIUserAbortError) return { kind: 'aborted', message: 'request aborted' };
  if (err instanceof APIConnectionTimeoutError) return { kind: 'timeout', message: 'request timed out' };
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { kind: 'transient', message: `connection failed${cause}` };
  }
  if (err instanceof APIError && err.status !== undefined) {
    const retryAfterMs = err.headers ? parseRetryAfter(err.headers, now) : undefined;
    const kind: FailureKind = err.status >= 500 || TRANSIENT_STATUS.has(err.status) ? 'transient' : 'permanent';
    return { kind, status: err.status, message: `HTTP ${err.message}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (err instanceof SyntaxError) return { kind: 'transient', message: `unparsable response body: ${err.message}` };
  if (err instanceof Error && err.name === 'AbortError') return { kind: 'aborted', message: 'request aborted' };
  return { kind: 'permanent', message: err instanceof Error ? err.message : String(err) };
}

/** `retry-after-ms`, then `Retry-After` as seconds or an HTTP date. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
