/**
 * The error body: RFC 9457 problem details with Menteo's stable `code`.
 * @module
 */
import * as z from 'zod/mini';
import { ERROR_CODES, type ErrorCode } from './errors.js';

/** One invalid field of a request. */
export const FieldError = z.object({
  /** Where the problem is: a JSON pointer-like dotted path (`milestones.2.dueDate`), a query parameter or a header name. */
  field: z.string(),
  message: z.string(),
});

/** An `application/problem+json` body. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  /** Stable machine-readable code. */
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  detail: z.optional(z.string()),
  /** The first offending field, when there is one. */
  field: z.optional(z.string()),
  /** Every offending field, for forms that show errors inline. */
  errors: z.optional(z.array(FieldError)),
  /** Echoes the `X-Request-Id` response header, for support. */
  requestId: z.optional(z.string()),
  /** Seconds to wait, on `rate_limited`. */
  retryAfter: z.optional(z.number()),
});

/** A problem body. */
export type Problem = z.infer<typeof Problem>;
/** One invalid field. */
export type FieldError = z.infer<typeof FieldError>;
