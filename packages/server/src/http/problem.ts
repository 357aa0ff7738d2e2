/**
 * Problem responses (RFC 9457) carrying the stable `code`, the first offending `field`, every
 * field error and the request id.
 * @module
 */
import { ERROR_STATUS, ERROR_TITLES, problemType, type ErrorCode } from '@menteo/api/errors';
import type { Problem } from '@menteo/api/problem';
import type { ApiError } from './errors.js';

/** The media type of every error. */
export const PROBLEM_TYPE = 'application/problem+json';

/** Builds the problem body of an error. */
export function problemBody(code: ErrorCode, detail: string, requestId: string, extra: Pick<Problem, 'field' | 'errors' | 'retryAfter'> = {}): Problem {
  const body: Problem = {
    type: problemType(code),
    title: ERROR_TITLES[code],
    status: ERROR_STATUS[code],
    code,
    detail,
    requestId,
  };
  if (extra.field !== undefined) body.field = extra.field;
  if (extra.errors !== undefined && extra.errors.length > 0) body.errors = extra.errors;
  else if (extra.field !== undefined) body.errors = [{ field: extra.field, message: detail }];
  if (extra.retryAfter !== undefined) body.retryAfter = extra.retryAfter;
  return body;
}

/** The response of an {@link ApiError}. */
export function problemResponse(error: ApiError, requestId: string): Response {
  const body = problemBody(error.code, error.message, requestId, {
    field: error.details.field,
    errors: error.details.errors,
    retryAfter: error.details.retryAfter,
  });
  const headers = new Headers({ 'Content-Type': PROBLEM_TYPE, 'X-Request-Id': requestId });
  for (const [name, value] of Object.entries(error.details.headers ?? {})) headers.set(name, value);
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

/** A JSON success response. */
export function jsonResponse(status: number, body: unknown, requestId: string): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': requestId },
  });
}
