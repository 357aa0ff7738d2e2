/**
 * Typed errors. Every failure of a client call is a {@link MenteoError}; its `code` says what
 * happened, so callers branch on `code` (or `instanceof` a subclass), never on the message.
 *
 * - {@link MenteoApiError}: the server answered with a problem (`code` is one of the API's
 *   stable error codes from `@menteo/api/errors`).
 * - {@link MenteoNetworkError}: no answer at all (offline, connection refused or reset, DNS).
 * - {@link MenteoTimeoutError}: no answer in time.
 * - {@link MenteoAbortError}: the caller's `AbortSignal` fired.
 *
 * The last three are {@link MenteoNoAnswerError}s: they say why (`reason`), whether a write may
 * have been applied (`mayHaveBeenApplied`) and whether a retry is safe (`safeToRetry`).
 * - {@link MenteoResponseError}: an answer that does not match the contract.
 * @module
 */
import type { ErrorCode } from '@menteo/api/errors';
import type { FieldError, Problem } from '@menteo/api/problem';

/** Codes for failures that happen before or outside the server's problem answer. */
export type ClientErrorCode = 'network_error' | 'timeout' | 'aborted' | 'invalid_response' | 'sign_in_failed';

/** Every `code` a {@link MenteoError} can carry. */
export type MenteoErrorCode = ErrorCode | ClientErrorCode;

/** What every Menteo error carries, beside the message. */
export interface MenteoErrorInit {
  /** HTTP status, or 0 when no response arrived. */
  status?: number;
  /** The server's `X-Request-Id`, for support. */
  requestId?: string | undefined;
  /** The underlying error, for debugging. */
  cause?: unknown;
}

/** Base class of every error thrown by the client. */
export class MenteoError extends Error {
  /** Stable machine-readable code. */
  readonly code: MenteoErrorCode;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** The server's request id (`X-Request-Id`), when a response arrived. */
  readonly requestId: string | undefined;

  constructor(code: MenteoErrorCode, message: string, init: MenteoErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'MenteoError';
    this.code = code;
    this.status = init.status ?? 0;
    this.requestId = init.requestId;
  }
}

/** The server answered with an `application/problem+json` error. */
export class MenteoApiError extends MenteoError {
  declare readonly code: ErrorCode;
  /** The first offending field (`milestones.2.dueDate`, a query parameter or a header). */
  readonly field: string | undefined;
  /** Every offending field, for forms that show errors inline. */
  readonly errors: FieldError[];
  /** Seconds the server asked to wait before retrying (`Retry-After`), on `rate_limited`. */
  readonly retryAfter: number | undefined;
  /** The server's human-readable explanation. */
  readonly detail: string | undefined;
  /** The full problem body, as sent. */
  readonly problem: Problem;

  constructor(problem: Problem, init: MenteoErrorInit & { retryAfter?: number | undefined } = {}) {
    super(problem.code, problem.detail ?? problem.title, {
      ...init,
      status: init.status ?? problem.status,
      requestId: init.requestId ?? problem.requestId,
    });
    this.name = 'MenteoApiError';
    this.field = problem.field;
    this.errors = problem.errors ?? [];
    this.retryAfter = init.retryAfter ?? problem.retryAfter;
    this.detail = problem.detail;
    this.problem = problem;
  }
}

/**
 * Why no answer arrived. `connection_refused` and `dns`: the request never reached a server;
 * `connection_reset`: the connection broke after the request was (perhaps) sent; `timeout`,
 * `aborted`: the client stopped waiting; `unknown`: the runtime does not say (browsers report
 * every network failure as the same `TypeError`, on purpose).
 */
export type NoAnswerReason = 'connection_refused' | 'connection_reset' | 'dns' | 'timeout' | 'aborted' | 'unknown';

/** What is known about a request that got no answer, for deciding what to do next. */
export interface NoAnswerInit extends MenteoErrorInit {
  /** Why no answer arrived. */
  reason?: NoAnswerReason | undefined;
  /** The request's method (`GET`, `POST`…), when known. */
  method?: string | undefined;
  /** The `Idempotency-Key` the request carried, if any. */
  idempotencyKey?: string | undefined;
}

const READS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
// The request never left: nothing can have been applied whatever the method.
const NOT_SENT: ReadonlySet<NoAnswerReason> = new Set(['connection_refused', 'dns']);

/**
 * Base of the errors where no answer arrived ({@link MenteoNetworkError},
 * {@link MenteoTimeoutError}, {@link MenteoAbortError}). A script that gets one can tell from
 * {@link mayHaveBeenApplied} whether the write might exist on the server, and from
 * {@link safeToRetry} whether sending it again (with {@link idempotencyKey}) cannot write twice.
 */
export class MenteoNoAnswerError extends MenteoError {
  /** Why no answer arrived. */
  readonly reason: NoAnswerReason;
  /** The request's method, when known. */
  readonly method: string | undefined;
  /** The `Idempotency-Key` the request carried: retry with it to be answered from the server's record. */
  readonly idempotencyKey: string | undefined;
  /**
   * Whether the server may have applied the request: `false` for reads and for requests that
   * never reached it (refused, DNS); `true` for a write whose connection broke, timed out or was
   * aborted after it was sent (the answer, not necessarily the write, was lost).
   */
  readonly mayHaveBeenApplied: boolean;
  /**
   * Whether sending the same request again cannot apply it twice: reads, and writes that carried
   * an `Idempotency-Key` (retry with the same key: the server replays its first answer).
   */
  readonly safeToRetry: boolean;

  constructor(code: 'network_error' | 'timeout' | 'aborted', message: string, init: NoAnswerInit = {}) {
    super(code, message, init);
    this.reason = init.reason ?? (code === 'network_error' ? 'unknown' : code);
    this.method = init.method;
    this.idempotencyKey = init.idempotencyKey;
    const read = init.method !== undefined && READS.has(init.method.toUpperCase());
    this.mayHaveBeenApplied = !read && !NOT_SENT.has(this.reason);
    this.safeToRetry = read || init.idempotencyKey !== undefined;
  }
}

/** No response arrived: offline, connection refused or reset, DNS failure (see `reason`). */
export class MenteoNetworkError extends MenteoNoAnswerError {
  declare readonly code: 'network_error';
  constructor(message: string, init: NoAnswerInit = {}) {
    super('network_error', message, init);
    this.name = 'MenteoNetworkError';
  }
}

/** No response arrived within the configured `timeout` (on the last attempt; earlier ones were retried). */
export class MenteoTimeoutError extends MenteoNoAnswerError {
  declare readonly code: 'timeout';
  constructor(message: string, init: NoAnswerInit = {}) {
    super('timeout', message, { ...init, reason: 'timeout' });
    this.name = 'MenteoTimeoutError';
  }
}

/**
 * The caller aborted the call through its `AbortSignal`. Its `name` is `AbortError`, like the
 * platform's, so code that already checks `error.name === 'AbortError'` keeps working.
 */
export class MenteoAbortError extends MenteoNoAnswerError {
  declare readonly code: 'aborted';
  constructor(message = 'The request was aborted', init: NoAnswerInit = {}) {
    super('aborted', message, { ...init, reason: 'aborted' });
    this.name = 'AbortError';
  }
}

/**
 * The `clientSecret` function the host page gave the client failed (the host's backend refused
 * to start a session, or could not be reached). Menteo itself was not asked anything; `cause`
 * holds what the function threw. Widgets show it as a sign-in problem, not a server error.
 */
export class MenteoSignInError extends MenteoError {
  declare readonly code: 'sign_in_failed';
  constructor(message: string, init: MenteoErrorInit = {}) {
    super('sign_in_failed', message, init);
    this.name = 'MenteoSignInError';
  }
}

/** One reason a response did not match the contract. */
export interface ResponseIssue {
  /** Where in the body (`items.3.createdAt`). */
  path: string;
  message: string;
}

/**
 * The server answered, but not with what the contract promises (a body that fails the
 * operation's response schema, or not JSON at all). Usually a version mismatch between client
 * and server: the data is not used, rather than crashing later on a missing field.
 */
export class MenteoResponseError extends MenteoError {
  declare readonly code: 'invalid_response';
  /** What did not match. */
  readonly issues: ResponseIssue[];
  constructor(message: string, issues: ResponseIssue[], init: MenteoErrorInit = {}) {
    super('invalid_response', message, init);
    this.name = 'MenteoResponseError';
    this.issues = issues;
  }
}

/** Narrows any thrown value to a {@link MenteoError}, optionally with a given code. */
export function isMenteoError<C extends MenteoErrorCode>(
  error: unknown,
  code?: C,
): error is MenteoError & { readonly code: C } {
  return error instanceof MenteoError && (code === undefined || error.code === code);
}
