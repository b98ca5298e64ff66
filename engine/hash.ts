import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

const stringify = configure({ bigint: false, circularValue: Error, deterministic: true });

/**
 * Canonical JSON: keys sorted, so equal values always give equal text. The one
 * serialization for everything hashed or written, so no output depends on the order in
 * which a config file, a snapshot or a cache happened to list keys. `indent` only adds
 * whitespace (for files people read).
 */
export function canonicalJson(value: unknown, indent?: number): string {
  const s = stringify(value, null, indent);
  return s === undefined ? 'null' : s;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Content hash of a JSON value (its canonical text). */
export function hashJson(value: unknown): string {
  return sha256(canonicalJson(value));
}
