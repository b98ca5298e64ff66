import { sha256 } from '../../engine/hash.ts';
import { isSafeName, slugName } from '../session/safe-name.ts';

/**
 * The example id: the session id when it is a safe folder name, else a slug of it
 * plus a short hash (so two ids that slug alike stay apart). Same session, same id.
 */
export function exampleIdFor(sessionId: string): string {
  if (sessionId.length <= 128 && isSafeName(sessionId)) return sessionId;
  const slug = slugName(sessionId).slice(0, 80) || 'session';
  return `${slug}-${sha256(sessionId).slice(0, 8)}`;
}

/** A tool_call id that depends only on the session and the span's classification index. */
export function toolCallIdFor(sessionId: string, spanIndex: number): string {
  return `call_${sha256(`${sessionId}\u0000${spanIndex}`).slice(0, 16)}`;
}
