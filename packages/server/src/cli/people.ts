/**
 * People as the operator names them: the first admin `init` creates, and the admin an
 * `admin-link` signs in.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../storage/ids.js';
import { json, strings } from '../storage/json.js';
import type { Database, PeopleTable } from '../storage/schema.js';
import { failure } from './errors.js';
import type { PersonRef } from './input.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Inserts an active organization admin (the row `POST /v1/people` writes, with roles `["admin"]`). */
export async function insertAdmin(db: Db, orgId: string, displayName: string, email: string, now: string): Promise<PeopleTable> {
  const row: PeopleTable = {
    id: newId('per'), org_id: orgId, external_id: null, display_name: displayName,
    search_text: `${displayName}\n${email}`.toLowerCase(), email, title: null, skills: json([]), avatar_url: null,
    roles: json(['admin']), active: 1, created_at: now, updated_at: now,
  };
  await db.insertInto('people').values(row).execute();
  return row;
}

/**
 * The active admin a reference names, in the given organization or (when none is named) in the
 * only organization that has one by that email. Anyone else is refused with the reason.
 */
export async function findAdmin(db: Db, ref: PersonRef, orgId: string | undefined): Promise<PeopleTable> {
  let q = db.selectFrom('people').selectAll();
  q = ref.kind === 'id' ? q.where('id', '=', ref.id) : q.where((eb) => eb(eb.fn('lower', ['email']), '=', ref.email.toLowerCase()));
  if (orgId !== undefined) q = q.where('org_id', '=', orgId);
  const rows = await q.limit(2).execute();
  const name = ref.kind === 'id' ? ref.id : ref.email;
  const person = rows[0];
  if (!person) throw failure(`No person ${name}${orgId === undefined ? '' : ` in organization ${orgId}`}.`);
  if (rows.length > 1) throw failure(`Several people have the email ${name} (in different organizations): add --org <id>.`);
  if (person.active !== 1) throw failure(`${name} is deactivated; reactivate them first (PATCH /v1/people/${person.id}).`);
  if (!strings(person.roles).includes('admin')) {
    throw failure(`${name} is not an organization admin; the console is for admins. Give them the role first (PATCH /v1/people/${person.id} with "roles": [..., "admin"]).`);
  }
  return person;
}
