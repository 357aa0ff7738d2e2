/**
 * The error every layer throws; the app turns it into `application/problem+json`.
 * @module
 */
import type { ErrorCode } from '@menteo/api/errors';
import type { FieldError } from '@menteo/api/problem';

/** Extra details of an {@link ApiError}. */
export interface ApiErrorDetails {
  /** The first offending field, dotted path, query parameter or header name. */
  field?: string;
  /** Every offending field. */
  errors?: FieldError[];
  /** Seconds to wait, for `rate_limited`. */
  retryAfter?: number;
  /** Extra response headers (e.g. `Retry-After`, `Allow`). */
  headers?: Record<string, string>;
}

/** An error with a stable API code; its message becomes the problem's `detail`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: ApiErrorDetails;
  constructor(code: ErrorCode, detail: string, details: ApiErrorDetails = {}) {
    super(detail);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

/** Shorthand for a 404 that never says whether the resource exists elsewhere. */
export function notFound(what: string, field?: string): ApiError {
  return new ApiError('not_found', `${what} was not found.`, field === undefined ? {} : { field });
}

/** Shorthand for a 403. */
export function forbidden(detail: string): ApiError {
  return new ApiError('forbidden', detail);
}

/** Shorthand for a 400 about one field. */
export function invalid(field: string, detail: string): ApiError {
  return new ApiError('invalid_request', detail, { field, errors: [{ field, message: detail }] });
}
