import type { z } from 'zod';
import { describeZodIssues } from '../../engine/config/zod-issues.ts';

export type ApiErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'too_large' | 'internal';

/** The one error body the API sends: `{error: {code, message}}`, never a stack trace or a file path. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; issues?: { path: string; message: string }[] };
}

/** An expected failure with its HTTP status; anything else becomes a 500 without details. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 413,
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }

  body(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

export const badRequest = (message: string, issues?: { path: string; message: string }[]) => new ApiError(400, 'bad_request', message, issues);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);

/** A 400 naming every field that failed, e.g. `query parameter limit: must be at most 1000, got 99999`. */
export function invalidInput(where: 'path parameter' | 'query parameter' | 'body field', error: z.ZodError, input: unknown, schema?: z.ZodType): ApiError {
  const issues = describeZodIssues(error.issues, { input, keyNoun: 'parameter', ...(schema === undefined ? {} : { schema }) }).map((i) => ({
    path: i.field === '(root)' ? '' : i.field,
    message: i.problem,
  }));
  const text = issues.map((i) => (i.path ? `${where} ${i.path}: ${i.message}` : `${where}s: ${i.message}`)).join('; ');
  return badRequest(text, issues);
}

export const INTERNAL_ERROR_BODY: ApiErrorBody = {
  error: { code: 'internal', message: 'the server failed to answer this request; the reason is in the server log' },
};
