import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

const stringify = configure({ bigint: false, circularValue: Error, deterministic: true });

/** Canonical JSON: keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  const s = stringify(value);
  return s === undefined ? 'null' : s;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Content hash of a JSON value (its canonical text). */
export function hashJson(value: unknown): string {
  return sha256(canonicalJson(value));
}
