/**
 * Revoking a person's credentials when they are deactivated (`PATCH /v1/people/{id}` with
 * `active: false`, or SCIM). Requests are already refused because authentication checks the
 * person's `active` flag on every call; deleting the tokens as well means a later reactivation
 * does not bring old, possibly leaked tokens back to life.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import { notifyAccessChange, type EventBus } from '../events/bus.js';
import type { AccessChange } from '../events/hub.js';
import type { Database } from '../storage/schema.js';
import { invalidatePrincipal } from './principal-cache.js';

/**
 * Where an access notice goes. A handler passes its context: the notice reaches its app's
 * streams once the request's writes committed (a keyed write's handler runs inside the
 * request's transaction, whose `db` is not the database streams were opened on). Code that
 * holds only the database (SCIM provisioning) passes it, after its own commit.
 */
export type AccessNoticeTarget = { readonly bus: EventBus; readonly afterCommit: (fn: () => void) => void } | Kysely<Database>;

function notify(target: AccessNoticeTarget, change: AccessChange): void {
  forget(target, change);
  if ('afterCommit' in target) {
    const { bus } = target;
    target.afterCommit(() => bus.hub.accessChanged(change));
  } else {
    notifyAccessChange(target, change);
  }
}

/**
 * Cached credentials (auth/principal-cache.ts) are forgotten now and again once the change
 * committed: a lookup made in between read the rows as they were.
 */
function forget(target: AccessNoticeTarget, change: AccessChange): void {
  invalidatePrincipal(change);
  if ('afterCommit' in target) target.afterCommit(() => invalidatePrincipal(change));
}

/** Deletes the person's access tokens and unexchanged embed-session secrets. */
export async function revokePersonCredentials(db: Kysely<Database> | Transaction<Database>, personId: string): Promise<void> {
  await db.deleteFrom('access_tokens').where('person_id', '=', personId).execute();
  await db.deleteFrom('embed_sessions').where('person_id', '=', personId).where('used_at', 'is', null).execute();
}

/**
 * After a change to a person committed: their open live streams end when they were deactivated
 * (`person_deactivated`) or their roles changed (`credential_changed`: an admin reads every room,
 * a member only theirs). Call it after the commit, never inside the transaction: a client
 * reconnecting at once must see the committed state.
 */
export function afterPersonChange(target: AccessNoticeTarget, before: { id: string; active: number; roles: string }, after: { active: number; roles: string }): void {
  if (before.active === 1 && after.active === 0) afterDeactivation(target, before.id);
  else if (before.roles !== after.roles) notify(target, { kind: 'person_changed', personId: before.id });
  // Any other change (name, avatar, reactivation): cached credentials carry the person's row.
  else forget(target, { kind: 'person_changed', personId: before.id });
}

/** After a deactivation committed: the person's open live streams end (`person_deactivated`). */
export function afterDeactivation(target: AccessNoticeTarget, personId: string): void {
  notify(target, { kind: 'person_deactivated', personId });
}

/**
 * Deletes what an API key minted: the access tokens exchanged from its client secrets, and its
 * client secrets not yet exchanged. Call it with the key's revocation, so a leaked key that is
 * revoked leaves no token working until it expires. Rows minted before the key was recorded
 * (`api_key_id` null) are not known to be the key's and stay.
 */
export async function revokeKeyCredentials(db: Kysely<Database> | Transaction<Database>, keyId: string): Promise<void> {
  await db.deleteFrom('access_tokens').where('api_key_id', '=', keyId).execute();
  await db.deleteFrom('embed_sessions').where('api_key_id', '=', keyId).where('used_at', 'is', null).execute();
}

/**
 * After an API key's revocation committed: its open live streams end (`token_revoked`), and so do
 * those of the tokens it minted (the hub knows each token stream's minting key).
 */
export function afterKeyRevoked(target: AccessNoticeTarget, keyId: string): void {
  notify(target, { kind: 'credential_revoked', credentialId: keyId });
}
