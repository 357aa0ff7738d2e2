/**
 * The stable error codes of the API. Every error response is `application/problem+json`
 * (RFC 9457) carrying one of these codes; clients branch on `code`, never on the message.
 * @module
 */

/** Every error code with the HTTP status it is sent with. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_mismatch: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

/** One stable error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** All error codes, in a stable order. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** Human titles, used as the problem's `title`. */
export const ERROR_TITLES: Record<ErrorCode, string> = {
  invalid_request: 'The request is not valid',
  unauthenticated: 'Authentication is required',
  forbidden: 'This action is not allowed',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'The resource changed or already exists',
  idempotency_mismatch: 'Idempotency key reused with a different request',
  payload_too_large: 'The request body is too large',
  unsupported_media_type: 'Unsupported content type',
  rate_limited: 'Too many requests',
  internal: 'Something went wrong on our side',
  unavailable: 'The service is temporarily unavailable',
};

/** The `type` URI of a problem with the given code. */
export function problemType(code: ErrorCode): string {
  return `https://menteo.dev/problems/${code.replace(/_/g, '-')}`;
}

/** True when `value` is a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
