import { maskTokens } from '../network/redact.ts';
import type { SessionMeta } from './model.ts';

/**
 * A session's metadata as tracepipe keeps it: the task text (the example's user turn, and
 * part of what the model is shown) with credentials masked as typed text is. Applied where
 * session.json is read and where a native session is written, so neither a session read in
 * place nor an import keeps a pasted token.
 */
export function maskedMeta(meta: SessionMeta): SessionMeta {
  return meta.description === undefined ? meta : { ...meta, description: maskTokens(meta.description) };
}
