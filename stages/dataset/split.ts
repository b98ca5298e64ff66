import { sha256 } from '../../engine/hash.ts';

export type Split = 'train' | 'validation';

/**
 * A session's split, from a hash of the seed and the session id alone: a session
 * keeps its split when other sessions come or go, and all examples of a session
 * land in the same split.
 */
export function splitOf(sessionId: string, validationFraction: number, seed: string): Split {
  const u = parseInt(sha256(`${seed}\u0000${sessionId}`).slice(0, 12), 16) / 2 ** 48;
  return u < validationFraction ? 'validation' : 'train';
}
