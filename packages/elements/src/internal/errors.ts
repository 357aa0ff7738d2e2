/**
 * Turns whatever a failed call threw into words a person understands. The client throws typed
 * errors carrying a stable `code` and HTTP `status`; this module reads them structurally so it
 * does not depend on the error classes being the same copy.
 * @module
 */
import { msg } from '@lit/localize';

interface ErrorLike {
  code?: unknown;
  status?: unknown;
  name?: unknown;
}

/** The stable error code of a failure, `network` for transport errors, `aborted` when cancelled. */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown';
  const e = error as ErrorLike;
  if (e.name === 'AbortError') return 'aborted';
  if (typeof e.code === 'string') return e.code;
  if (e.name === 'TypeError' || e.name === 'NetworkError' || e.name === 'TimeoutError') return 'network';
  return 'unknown';
}

/** True when nothing is worth telling the person (they or the element cancelled). */
export function isAbort(error: unknown): boolean {
  return errorCode(error) === 'aborted';
}

/** One sentence saying what happened, in the current locale. */
export function describeError(error: unknown): string {
  switch (errorCode(error)) {
    case 'network':
    case 'network_error':
    case 'timeout':
    case 'unavailable':
      return msg('Menteo could not be reached. Check your connection and try again.');
    // The host page could not start a session (its backend refused or was unreachable): to the
    // person, the remedy is the same as for an ended session.
    case 'sign_in_failed':
    case 'unauthenticated':
      return msg('Your session has ended. Reload the page to sign in again.');
    case 'forbidden':
      return msg('You do not have permission to do this.');
    case 'not_found':
      return msg('This could not be found. It may have been removed, or you may not have access.');
    case 'conflict':
      return msg('Someone else changed this in the meantime. Reload to see the latest version.');
    case 'rate_limited':
      return msg('Too many requests right now. Wait a moment and try again.');
    case 'payload_too_large':
      return msg('This is too long to save. Shorten it and try again.');
    case 'invalid_request':
      return msg('Some of what you entered is not valid. Check it and try again.');
    // The host page gave the provider no way to get a secret (see provider/session-url.ts).
    case 'not_configured':
      return msg("This widget is not set up to sign in yet. The page's developer can see why in the browser console.");
    case 'no_provider':
      return msg('This widget is not connected to Menteo. Place it inside a <menteo-provider>.');
    default:
      return msg('Something went wrong on our side. Try again in a moment.');
  }
}
