/**
 * Revoking a person's credentials when they are deactivated (`PATCH /v1/people/{id}` with
 * `active: false`, or SCIM). Requests are already refused because authentication checks the
 * person's `active` flag on every call; deleting the tokens as well means a later reactivation
 * does not bring old, possibly leaked tokens back to life.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../storage/schema.js';

/** Deletes the person's access tokens and unexchanged embed-session secrets. */
export async function revokePersonCredentials(db: Kysely<Database> | Transaction<Database>, personId: string): Promise<void> {
  await db.deleteFrom('access_tokens').where('person_id', '=', personId).execute();
  await db.deleteFrom('embed_sessions').where('person_id', '=', personId).where('used_at', 'is', null).execute();
}
