import type { ErrorInfo } from '../engine/errors.ts';
import type { Io } from './io.ts';

/** True when the command line asks for JSON (`--json` before any `--`). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Prints a command's error once, on stderr: `CODE message` and `hint: ...` for people,
 * or with --json one line `{"error": {code, message, hint?, location?, details?}}`, so a
 * script that asked for JSON never has to parse prose.
 */
export function printError(io: Io, json: boolean, info: ErrorInfo): void {
  if (json) {
    io.err(JSON.stringify({ error: info }));
    return;
  }
  io.err(`${info.code} ${info.message}${info.hint ? `\nhint: ${info.hint}` : ''}`);
}
