/**
 * Rows to contract objects: people and organizations.
 * @module
 */
import type { Organization, Person, PersonRole, PublicPerson } from '@menteo/api/people';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { notFound } from '../http/errors.js';
import { strings } from '../storage/json.js';
import type { Database, OrganizationsTable, PeopleTable } from '../storage/schema.js';

/** Any query runner: the database or a transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/**
 * The stored avatar URL when it is https. Writes accept https only; rows stored before that rule
 * (or by another writer) never make a viewer's browser load a plain-http address.
 */
function safeAvatar(url: string | null): string | null {
  return url !== null && /^https:\/\//i.test(url) ? url : null;
}

/** A person row as the contract's `Person`. */
export function personView(row: PeopleTable): Person {
  return {
    id: row.id,
    externalId: row.external_id,
    displayName: row.display_name,
    email: row.email,
    title: row.title,
    skills: strings(row.skills),
    avatarUrl: safeAvatar(row.avatar_url),
    roles: strings(row.roles) as PersonRole[],
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A person row as the contract's `PublicPerson`: what growth threads, posts and comments show. */
export function publicPersonView(row: Pick<PeopleTable, 'id' | 'display_name' | 'avatar_url'>): PublicPerson {
  return { id: row.id, displayName: row.display_name, avatarUrl: safeAvatar(row.avatar_url) };
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

/** Loads public profiles by id in one query (only the columns they show). */
export async function loadPublicPeople(db: Db, ids: Iterable<string>): Promise<Map<string, PublicPerson>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, PublicPerson>();
  if (unique.length === 0) return out;
  const rows = await db.selectFrom('people').select(['id', 'display_name', 'avatar_url']).where('id', 'in', unique).execute();
  for (const row of rows) out.set(row.id, publicPersonView(row));
  return out;
}

/** The person of a map, which referential integrity guarantees is there. */
export function must<P>(people: Map<string, P>, id: string): P {
  const person = people.get(id);
  if (!person) throw notFound('A referenced person');
  return person;
}

/** An organization with its allowed origins. */
export async function organizationView(db: Db, row: Selectable<OrganizationsTable>): Promise<Organization> {
  const origins = await db.selectFrom('allowed_origins').select('origin').where('org_id', '=', row.id).orderBy('position').execute();
  return { id: row.id, name: row.name, allowedOrigins: origins.map((o) => o.origin), adminContentAccess: row.admin_content_access === 1, createdAt: row.created_at };
}
