import { expect } from 'vitest';
import { TracepipeError } from '../../engine/errors.ts';

/** The TracepipeError a promise (or value) rejects with, failing the test on anything else, and on another code when one is given. */
export async function rejectionOf(p: Promise<unknown> | unknown, code?: TracepipeError['code']): Promise<TracepipeError> {
  const err = await Promise.resolve(p).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TracepipeError);
  if (code !== undefined) expect((err as TracepipeError).code).toBe(code);
  return err as TracepipeError;
}
