/**
 * Who administers an organization through the API: a secret API key (its scopes decide, as the
 * operation's gate checks them), or a person's access token that carries `org:admin` AND whose
 * person has the organization role `admin` (the admin console's sign-in). The scope alone is not
 * enough: a host may mint a token with any scope for anyone, and the role is what the
 * organization decided. Resources of another organization stay 404 in the handlers.
 * @module
 */
import type { Context } from '../context.js';
import { ApiError } from '../http/errors.js';
import { strings } from '../storage/json.js';

/** True when the caller administers its organization (see the module's comment). */
export function isOrgAdmin(ctx: Pick<Context, 'principal'>): boolean {
  const p = ctx.principal;
  if (p.kind === 'key') return true;
  return p.scopes.has('org:admin') && p.person !== null && strings(p.person.roles).includes('admin');
}

/**
 * Throws 403 `forbidden` unless the caller administers its organization. For keys the operation's
 * scopes are the whole rule (unchanged); for tokens it takes `org:admin` and the admin role.
 */
export function requireOrgAdmin(ctx: Pick<Context, 'principal'>, what: string): void {
  if (isOrgAdmin(ctx)) return;
  throw new ApiError('forbidden', `${what} takes a secret API key, or the token of an organization admin (role admin) carrying org:admin, as the admin console has.`);
}
