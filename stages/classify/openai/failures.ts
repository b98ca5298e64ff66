import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/**
 * What went wrong with one HTTP attempt, as data:
 * - timeout: no reply within timeoutMs (retried; the server may just be slow)
 * - transient: 408/409/425/429/5xx, a dropped connection, an unparsable body (retried)
 * - permanent: 400/401/403/404/422 and other 4xx (never retried: repeating cannot help)
 * - quota: a 429 `insufficient_quota`: the account is out of credit, waiting cannot help
 * - aborted: the run was interrupted
 * A server's `x-should-retry: true|false` overrides the status (as the SDK's own retry does).
 */
export type FailureKind = 'timeout' | 'transient' | 'permanent' | 'quota' | 'aborted';

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
    const shouldRetry = err.headers?.get('x-should-retry');
    const byStatus: FailureKind = err.status >= 500 || TRANSIENT_STATUS.has(err.status) ? 'transient' : 'permanent';
    const kind: FailureKind = isQuotaError(err) ? 'quota' : shouldRetry === 'true' ? 'transient' : shouldRetry === 'false' ? 'permanent' : byStatus;
    return { kind, status: err.status, message: `HTTP ${err.message}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (err instanceof SyntaxError) return { kind: 'transient', message: `unparsable response body: ${err.message}` };
  if (err instanceof Error && err.name === 'AbortError') return { kind: 'aborted', message: 'request aborted' };
  return { kind: 'permanent', message: err instanceof Error ? err.message : String(err) };
}

/** OpenAI's "You exceeded your current quota" 429: `code` or `type` insufficient_quota. */
function isQuotaError(err: APIError): boolean {
  const body = err.error as { code?: unknown; type?: unknown } | undefined;
  return (
    err.status === 429 &&
    (err.code === 'insufficient_quota' || err.type === 'insufficient_quota' || body?.code === 'insufficient_quota' || body?.type === 'insufficient_quota')
  );
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
