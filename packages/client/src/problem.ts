/**
 * Turns an error response into a {@link MenteoApiError}, trusting the problem body when it
 * matches the contract and falling back to the HTTP status when it does not (a proxy's HTML
 * 502 page, say).
 * @module
 */
import { ERROR_STATUS, ERROR_TITLES, isErrorCode, problemType, type ErrorCode } from '@menteo/api/errors';
import { Problem } from '@menteo/api/problem';
import { parseRetryAfter } from './backoff.js';
import { MenteoApiError } from './errors.js';

function codeForStatus(status: number): ErrorCode {
  for (const [code, s] of Object.entries(ERROR_STATUS)) if (s === status && isErrorCode(code)) return code;
  if (status === 502 || status === 504) return 'unavailable';
  return status >= 500 ? 'internal' : 'invalid_request';
}

/** Builds the typed error of a non-2xx response whose body was already read into `data`. */
export function problemFromResponse(response: Response, data: unknown, cause?: unknown): MenteoApiError {
  const requestId = response.headers.get('X-Request-Id') ?? undefined;
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'));
  const retryAfter = retryAfterMs === undefined ? undefined : retryAfterMs / 1000;
  const parsed = Problem.safeParse(data);
  if (parsed.success) {
    return new MenteoApiError(parsed.data, { status: response.status, requestId, retryAfter, cause });
  }
  const code = codeForStatus(response.status);
  return new MenteoApiError(
    { type: problemType(code), title: ERROR_TITLES[code], status: response.status, code },
    { status: response.status, requestId, retryAfter, cause },
  );
}
