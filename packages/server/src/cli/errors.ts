/**
 * Exit codes and errors of `menteo-server`'s commands. Scripts (deploy pipelines, the e2e test)
 * tell a mistake in the command line, which retrying never fixes, from a failure of the work.
 * @module
 */

/** The process exit codes. */
export const EXIT = {
  ok: 0,
  /** The work failed: no database, an initialised database, an unknown key, a disk error. */
  failure: 1,
  /** The command line is wrong: unknown command or option, missing or malformed argument. */
  usage: 2,
} as const;

/** Which of the two failures an error is. */
export type CliErrorKind = 'usage' | 'failure';

/** An error whose message is meant for the operator as is (no stack trace). */
export class CliError extends Error {
  readonly kind: CliErrorKind;

  constructor(kind: CliErrorKind, message: string) {
    super(message);
    this.name = 'CliError';
    this.kind = kind;
  }
}

/** A mistake in the command line (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError('usage', message);
}

/** The work could not be done (exit code 1). */
export function failure(message: string): CliError {
  return new CliError('failure', message);
}
