/**
 * The few error classes tracepipe has. Each carries a code a script can match on,
 * a message that says what is wrong, and a hint that says what to do about it.
 */
export type ErrorCode =
  | 'TP_CONFIG' // the pipeline file or the command line is wrong
  | 'TP_INPUT' // an input item (a session) is malformed
  | 'TP_MODEL' // a model provider failed or replied with something unusable
  | 'TP_STAGE' // a stage failed for a reason of its own
  | 'TP_CACHE' // the cache file cannot be used
  | 'TP_ABORTED' // the run was interrupted
  | 'TP_INTERNAL'; // a bug in tracepipe

/** Where in an input a problem is: file, optional line (1-based) and field path. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  field?: string;
}

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  hint?: string;
  location?: SourceLocation;
  /** The underlying cause, already reduced to text (never a secret-bearing object). */
  cause?: string;
  /** Free-form details for inspection (e.g. a model's raw reply), JSON-serializable. */
  details?: unknown;
}

export class TracepipeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;
  readonly details: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; location?: SourceLocation; cause?: unknown; details?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TracepipeError';
    this.code = code;
    this.hint = opts.hint;
    this.location = opts.location;
    this.details = opts.details;
  }

  toInfo(): ErrorInfo {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.location === undefined ? {} : { location: this.location }),
      ...(this.cause === undefined ? {} : { cause: describeCause(this.cause) }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export const configError = (message: string, opts?: ConstructorParameters<typeof TracepipeError>[2]) =>
  new TracepipeError('TP_CONFIG', message, opts);
export const inputError = (message: string, opts?: ConstructorParameters<typeof TracepipeError>[2]) =>
  new TracepipeError('TP_INPUT', message, opts);
export const modelError = (message: string, opts?: ConstructorParameters<typeof TracepipeError>[2]) =>
  new TracepipeError('TP_MODEL', message, opts);

/** Formats `file:line field` the way every error message names its place. */
export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.column !== undefined) s += `:${loc.column}`;
  if (loc.field !== undefined) s += ` (field ${loc.field})`;
  return s;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

/**
 * Turns anything thrown at a stage boundary into error data, once. Unknown throws
 * become TP_INTERNAL unless the stage said otherwise; the hint tells the user it is a bug.
 */
export function toErrorInfo(err: unknown, fallback: ErrorCode = 'TP_STAGE'): ErrorInfo {
  if (err instanceof TracepipeError) return err.toInfo();
  if (err instanceof Error) {
    return {
      code: fallback,
      message: err.message,
      cause: err.stack?.split('\n').slice(0, 4).join('\n') ?? `${err.name}: ${err.message}`,
      hint:
        fallback === 'TP_INTERNAL'
          ? 'This is a bug in tracepipe; please report it with the run id.'
          : 'The stage threw an unexpected error; see the cause.',
    };
  }
  return { code: fallback, message: String(err) };
}
