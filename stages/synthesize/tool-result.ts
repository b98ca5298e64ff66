import { canonicalJson } from '../../engine/hash.ts';
import type { NetworkRequest, Step } from '../../domain/session/timeline.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The tool result for a span: the response body of the request that carried the
 * action (the last mutating request in the span's steps, else the last request
 * with a response). Without a recorded response the result is `{"ok": true}` when
 * the request succeeded (or none was recorded) and `{"ok": false, "status": N}` otherwise.
 */
export function toolResultFor(steps: readonly Step[], maxChars: number): { content: string; requestId?: string } {
  const requests = steps.flatMap((s) => s.network);
  const req = lastWhere(requests, (r) => MUTATING.has(r.method.toUpperCase())) ?? lastWhere(requests, (r) => r.responseBody !== undefined);
  if (req === undefined) return { content: '{"ok": true}' };
  const body = req.responseBody;
  let content: string;
  if (body === undefined || body === null || body === '') {
    const ok = req.status === undefined || (req.status >= 200 && req.status < 400);
    content = ok ? '{"ok": true}' : canonicalJson({ ok: false, status: req.status });
  } else {
    content = typeof body === 'string' ? body : canonicalJson(body);
  }
  if (content.length > maxChars) content = `${content.slice(0, maxChars)}…[truncated]`;
  return { content, requestId: req.id };
}

function lastWhere(list: readonly NetworkRequest[], pred: (r: NetworkRequest) => boolean): NetworkRequest | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const r = list[i];
    if (r !== undefined && pred(r)) return r;
  }
  return undefined;
}
