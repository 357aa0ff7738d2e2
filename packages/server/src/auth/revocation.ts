/**
 * Revoking a person's credentials when they are deactivated (`PATCH /v1/people/{id}` with
 * `active: false`, or SCIM). Requests are already refused because authentication checks the
 * person's `active` flag on every call; deleting the tokens as well means a later reactivation
 * does not bring old, possibly leaked tokens back to life.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import { notifyAccessChange } from '../events/bus.js';
import type { Database } from '../storage/schema.js';

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
export function afterPersonChange(db: object, before: { id: string; active: number; roles: string }, after: { active: number; roles: string }): void {
  if (before.active === 1 && after.active === 0) afterDeactivation(db, before.id);
  else if (before.roles !== after.roles) notifyAccessChange(db, { kind: 'person_changed', personId: before.id });
}

/** After a deactivation committed: the person's open live streams end (`person_deactivated`). */
export function afterDeactivation(db: object, personId: string): void {
  notifyAccessChange(db, { kind: 'person_deactivated', personId });
}

/** After an API key's revocation committed: its open live streams end (`token_revoked`). */
export function afterKeyRevoked(db: object, keyId: string): void {
  notifyAccessChange(db, { kind: 'credential_revoked', credentialId: keyId });
}
