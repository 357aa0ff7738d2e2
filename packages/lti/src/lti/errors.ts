/**
 * Launch, registration and service failures. Each carries a message for the person in the LMS
 * (plain words, no jargon) and a detail for the admin's log, so neither has to be a compromise.
 * @module
 */

/** A failure that ends a launch or a service call without granting anything. */
export class LtiError extends Error {
  /** Stable machine-readable code, e.g. `bad_audience`, for logs and tests. */
  readonly code: string;
  /** HTTP status to answer with: 4xx for anything the request caused. */
  readonly status: 400 | 401 | 403 | 404 | 409 | 429 | 502;
  /** What the person sees. */
  readonly userMessage: string;
  /** What the admin's log gets. */
  readonly detail: Record<string, unknown>;

  constructor(code: string, userMessage: string, detail: Record<string, unknown> = {}, status: LtiError['status'] = 400) {
    super(`${code}: ${userMessage}`);
    this.name = 'LtiError';
    this.code = code;
    this.status = status;
    this.userMessage = userMessage;
    this.detail = detail;
  }
}

/** Messages reused across modules, so the same failure reads the same everywhere. */
export const MESSAGES = {
  invalidLaunch: 'This link from your course could not be verified, so Menteo did not open. Go back to the course and open it again.',
  expired: 'This link from your course has expired. Go back to the course and open it again.',
  replayed: 'This link from your course was already used. Go back to the course and open it again.',
  stale: 'This link from your course has expired or was already used. Go back to the course and open it again.',
  notAllowed: 'Only instructors can add Menteo to a course.',
  sessionEnded: 'Your Menteo session inside the course has ended. Reload the page to continue.',
  unknownPlatform: 'Menteo is not set up for this learning platform yet. Ask your learning platform administrator to install it.',
  unknownDeployment: 'Menteo is not set up for this course or account yet. Ask your learning platform administrator to finish installing it.',
  cookiesBlocked: 'Your browser blocked the information Menteo needs to sign you in inside the course. Open Menteo in a new window, or allow cookies for this site.',
  deactivated: 'Your Menteo account is deactivated. Ask your administrator if you think this is a mistake.',
  anonymous: 'Menteo needs to know who you are, and this launch did not say. Ask your administrator to share your user id with Menteo.',
  platformUnreachable: 'Menteo could not reach your learning platform just now. Please try again in a minute.',
  rateLimited: 'Too many requests reached Menteo from your network just now. Wait a moment, then open it again from your course.',
} as const;
