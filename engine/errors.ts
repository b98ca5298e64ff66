import { cleanMessage, describeCause, type CauseRoots } from './error-cause.ts';

/**
 * The few error classes tracepipe has. Each carries a code a script can match on,
 * a message that says what is wrong, and a hint that says what to do about it.
 * Every decision made per code is an exhaustive `switch` ending in `unreachable`,
 * so a new code is a compile error wherever it must be handled.
 */
export const ERROR_CODES = [
  'TP_CONFIG', // the pipeline file or the command line is wrong
  'TP_INPUT', // an input item (a session) is malformed
  'TP_MODEL', // a model provider failed or replied with something unusable
  'TP_STAGE', // a stage failed for a reason of its own
  'TP_CACHE', // the cache file cannot be used
  'TP_ABORTED', // the run was interrupted
  'TP_INTERNAL', // a bug in tracepipe
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The `default:` of an exhaustive switch: does not compile while a case is missing. */
export function unreachable(value: never): never {
  throw new TracepipeError('TP_INTERNAL', `unhandled case ${JSON.stringify(value)}`);
}

/**
 * How much of an error's cause a person is shown. `full`: the cause and its stack frames,
 * because the error is unexpected and the cause is what happened (a stage's throw, a bug,
 * SQLite refusing the cache file). `line`: the cause's first line, when the message does
 * not already say it. `none`: the message says all there is.
 */
export type CauseShown = 'full' | 'line' | 'none';

export function causeShown(code: ErrorCode): CauseShown {
  switch (code) {
    case 'TP_STAGE':
    case 'TP_CACHE':
    case 'TP_INTERNAL':
      return 'full';
    case 'TP_CONFIG':
    case 'TP_INPUT':
    case 'TP_MODEL':
      return 'line';
    case 'TP_ABORTED':
      return 'none';
    default:
      return unreachable(code);
  }
}

/** The hints of errors made from an unexpected throw; both point at the cause, which is always kept. */
export const INTERNAL_HINT = 'This is a bug in tracepipe; please report it with the run id or the command you ran, and the cause.';
export const STAGE_THREW_HINT = 'The stage threw an unexpected error; see the cause.';

/** What a view shows for a failed item whose record holds no error (a run log written by a crashed or older tracepipe). */
export const UNRECORDED_FAILURE: InternalErrorInfo = {
  code: 'TP_INTERNAL',
  message: 'the item failed without a recorded error',
  cause: 'the run log holds no error for this failed item',
  hint: INTERNAL_HINT,
};

/** Where in an input a problem is: file, optional line (1-based) and field path. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  field?: string;
}

/**
 * A failure as data, a union on `code`: an expected failure, whose message says what is
 * wrong, or a bug (TP_INTERNAL), which always carries its cause and the hint saying it is
 * one, so no view of it can leave out what happened.
 */
export type ErrorInfo = ExpectedErrorInfo | InternalErrorInfo;

export interface ExpectedErrorInfo extends ErrorFields {
  code: Exclude<ErrorCode, 'TP_INTERNAL'>;
}

export interface InternalErrorInfo extends ErrorFields {
  code: 'TP_INTERNAL';
  cause: string;
  hint: string;
}

interface ErrorFields {
  message: string;
  hint?: string;
  location?: SourceLocation;
  /**
   * The underlying cause as text (`describeCause`): its name, code and message, the first
   * stack frames in tracepipe's or the pipeline's code, with secrets masked and no
   * absolute paths under the pipeline, cache or tracepipe folders.
   */
  cause?: string;
  /** Free-form details for inspection (e.g. a model's raw reply), JSON-serializable. */
  details?: unknown;
}

export class TracepipeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; location?: SourceLocation; cause?: unknown; details?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TracepipeError';
    this.code = code;
    this.hint = opts.hint;
    this.location = opts.location;
    this.details = opts.details;
  }

  /**
   * This error as data; `roots` shortens the paths in its cause (the run's folders). A
   * TP_INTERNAL with no cause of its own has where it was thrown as its cause.
   */
  toInfo(roots?: CauseRoots): ErrorInfo {
    const fields = {
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.location === undefined ? {} : { location: this.location }),
      ...(this.cause === undefined ? {} : { cause: describeCause(this.cause, roots) }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
    if (this.code !== 'TP_INTERNAL') return { ...fields, code: this.code };
    return { ...fields, code: this.code, hint: this.hint ?? INTERNAL_HINT, cause: describeCause(this.cause ?? this, roots) };
  }
}

export const configError = (message: string, opts?: ConstructorParameters<typeof TracepipeError>[2]) => new TracepipeError('TP_CONFIG', message, opts);
export const inputError = (message: string, opts?: ConstructorParameters<typeof TracepipeError>[2]) => new TracepipeError('TP_INPUT', message, opts);
export const modelError = (message: string, opts?: ConstructorParameters<typeof TracepipeError>[2]) => new TracepipeError('TP_MODEL', message, opts);

/** Formats `file:line field` the way every error message names its place. */
export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.column !== undefined) s += `:${loc.column}`;
  if (loc.field !== undefined) s += ` (field ${loc.field})`;
  return s;
}

/**
 * Turns anything thrown into error data, once. A TracepipeError keeps its code; any other
 * throw gets `fallback` (TP_STAGE at a stage boundary, TP_INTERNAL elsewhere) with its
 * cause always kept and a hint that points at it. `roots` shortens paths (see CauseRoots).
 */
export function toErrorInfo(err: unknown, fallback: 'TP_STAGE' | 'TP_INTERNAL' = 'TP_STAGE', roots?: CauseRoots): ErrorInfo {
  if (err instanceof TracepipeError) return err.toInfo(roots);
  const message = cleanMessage(err instanceof Error ? err.message : `a ${err === null ? 'null' : typeof err} was thrown instead of an Error`, roots);
  const cause = describeCause(err, roots);
  return fallback === 'TP_INTERNAL' ? { code: fallback, message, cause, hint: INTERNAL_HINT } : { code: fallback, message, cause, hint: STAGE_THREW_HINT };
}
