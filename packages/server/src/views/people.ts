/**
 * Rows to contract objects: people and organizations.
 * @module
 */
import type { Organization, Person, PersonRole } from '@menteo/api/people';
import type { Kysely, Transaction } from 'kysely';
import { notFound } from '../http/errors.js';
import { strings } from '../storage/json.js';
import type { Database, OrganizationsTable, PeopleTable } from '../storage/schema.js';

/** Any query runner: the database or a transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/** A person row as the contract's `Person`. */
export function personView(row: PeopleTable): Person {
  return {
    id: row.id,
    externalId: row.external_id,
    displayName: row.display_name,
    email: row.email,
    title: row.title,
    skills: strings(row.skills),
    avatarUrl: row.avatar_url,
    roles: strings(row.roles) as PersonRole[],
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Loads people by id in one query. */
export async function loadPeople(db: Db, ids: Iterable<string>): Promise<Map<string, Person>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, Person>();
  if (unique.length === 0) return out;
  const rows = await db.selectFrom('people').selectAll().where('id', 'in', unique).execute();
  for (const row of rows) out.set(row.id, personView(row));
  return out;
}

/** The person of a map, which referential integrity guarantees is there. */
export function must(people: Map<string, Person>, id: string): Person {
  const person = people.get(id);
  if (!person) throw notFound('A referenced person');
  return person;
}

/** An organization with its allowed origins. */
export async function organizationView(db: Db, row: OrganizationsTable): Promise<Organization> {
  const origins = await db.selectFrom('allowed_origins').select('origin').where('org_id', '=', row.id).orderBy('position').execute();
  return { id: row.id, name: row.name, allowedOrigins: origins.map((o) => o.origin), createdAt: row.created_at };
}
