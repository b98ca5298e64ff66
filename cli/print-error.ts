import { CommanderError } from 'commander';
import { formatDiagnostics } from '../engine/config/diagnostics.ts';
import type { CauseRoots } from '../engine/error-cause.ts';
import { toErrorInfo, TracepipeError, unreachable, type ErrorCode, type ErrorInfo } from '../engine/errors.ts';
import { packageRoot } from '../engine/package-root.ts';
import { EXIT, type Io } from './io.ts';
import { PipelineProblems } from './pipeline-problems.ts';
import { causeLines } from './reporters/summary.ts';

/**
 * The one place a thrown error becomes printed text and an exit code. Commands print
 * their normal output and return an exit code, or throw; whatever they throw lands here
 * and is printed once, on stderr: `CODE message`, `hint: ...` and the cause when it
 * matters (`causeShown`) for people, or with --json one line
 * `{"error": {code, message, hint?, location?, cause?, details?}}`, so a script that
 * asked for JSON never has to parse prose. Anything that is not a TracepipeError is a
 * bug (TP_INTERNAL) and always shows its cause.
 */
export function reportError(io: Io, json: boolean, err: unknown): number {
  const info = errorInfoOf(err, io);
  io.err(json ? JSON.stringify({ error: info }) : errorText(err, info, io));
  return exitCodeFor(info.code);
}

/** The exit code of a command that failed with `code`: 2 bad input or config, 1 a failure, 130 interrupted. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'TP_CONFIG':
    case 'TP_INPUT':
    case 'TP_CACHE':
      return EXIT.badInput;
    case 'TP_MODEL':
    case 'TP_STAGE':
    case 'TP_INTERNAL':
      return EXIT.failed;
    case 'TP_ABORTED':
      return EXIT.interrupted;
    default:
      return unreachable(code);
  }
}

function errorInfoOf(err: unknown, io: Io): ErrorInfo {
  if (err instanceof CommanderError) {
    const message = err.code === 'commander.help' ? 'no command given' : err.message.replace(/^error: /, '');
    return { code: 'TP_CONFIG', message, hint: 'See tracepipe --help.' };
  }
  const roots: CauseRoots = [
    { dir: io.cwd, shownAs: '' },
    { dir: packageRoot(), shownAs: 'tracepipe/' },
  ];
  return err instanceof TracepipeError ? err.toInfo(roots) : toErrorInfo(err, 'TP_INTERNAL', roots);
}

function errorText(err: unknown, info: ErrorInfo, io: Io): string {
  if (err instanceof PipelineProblems) return `${formatDiagnostics(err.diagnostics, err.sources, { cwd: io.cwd })}\n\n${info.message}.`;
  const lines = [`${info.code} ${info.message}`];
  if (info.hint !== undefined) lines.push(`hint: ${info.hint}`);
  lines.push(...causeLines(info, ''));
  return lines.join('\n');
}
