/**
 * What an admin form says when the API refuses: the general sentence, plus the offending field
 * and the server's detail when there is one (admins fix imports and templates from it).
 * @module
 */
import { describeError } from '../internal/errors.js';

interface ProblemLike {
  field?: unknown;
  detail?: unknown;
}

/** One sentence, with the field and the server's detail when the problem names them. */
export function describeAdminError(error: unknown): string {
  const base = describeError(error);
  if (typeof error !== 'object' || error === null) return base;
  const p = error as ProblemLike;
  const detail = typeof p.detail === 'string' && p.detail ? p.detail : '';
  const field = typeof p.field === 'string' && p.field ? p.field : '';
  if (!detail && !field) return base;
  return `${base} ${field ? `${field}: ` : ''}${detail}`.trim();
}
