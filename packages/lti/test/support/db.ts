/**
 * Test database: real SQLite in memory through Kysely, with the lti_ migrations applied and a
 * small stand-in for the server's people, rooms and embed sessions (the ports the server owns).
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { migrateLti, enableSqliteForeignKeys } from '../../src/db/migrations.js';
import type { LtiDatabase } from '../../src/db/schema.js';
import { AmbiguousPersonError, type EmbedSessionRequest, type MembershipOutcome, type MenteoHost, type MilestoneCompletion, type PeopleDirectory, type PersonLookup, type PersonProfile, type Placeable, type RoomRole } from '../../src/ports.js';

/** Tables of the stand-in host (the real ones belong to @menteo/server). */
export interface HostTables {
  test_people: {
    id: string; org_id: string; external_id: string; display_name: string; email: string | null; title: string | null;
    department: string | null; employee_number: string | null; manager_id: string | null; roles: string; active: number;
  };
  test_members: { room_id: string; person_id: string; role: string; joined_at: string };
  test_sessions: { secret: string; org_id: string; request: string };
  test_groups: { id: string; org_id: string; display_name: string; members: string };
  test_milestones: { roadmap_id: string; person_id: string; completed: number; total: number };
}

/** The whole test database. */
export type TestDatabase = LtiDatabase & HostTables;

/** A fresh in-memory database with every migration applied. */
export async function createTestDb(): Promise<Kysely<TestDatabase>> {
  const db = new Kysely<TestDatabase>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  await enableSqliteForeignKeys(db);
  await migrateLti(db);
  await sql`CREATE TABLE test_people (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, external_id TEXT NOT NULL, display_name TEXT NOT NULL,
    email TEXT, title TEXT, department TEXT, employee_number TEXT, manager_id TEXT, roles TEXT NOT NULL, active INTEGER NOT NULL,
    UNIQUE (org_id, external_id))`.execute(db);
  await sql`CREATE TABLE test_members (room_id TEXT NOT NULL, person_id TEXT NOT NULL, role TEXT NOT NULL, joined_at TEXT NOT NULL, PRIMARY KEY (room_id, person_id))`.execute(db);
  await sql`CREATE TABLE test_sessions (secret TEXT PRIMARY KEY, org_id TEXT NOT NULL, request TEXT NOT NULL)`.execute(db);
  await sql`CREATE TABLE test_groups (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, display_name TEXT NOT NULL, members TEXT NOT NULL)`.execute(db);
  await sql`CREATE TABLE test_milestones (roadmap_id TEXT NOT NULL, person_id TEXT NOT NULL, completed INTEGER NOT NULL, total INTEGER NOT NULL)`.execute(db);
  return db;
}

/** A SQLite-backed MenteoHost and PeopleDirectory, as the server will implement them. */
export function createTestHost(db: Kysely<TestDatabase>, placeables: Placeable[] = []): MenteoHost & PeopleDirectory {
  async function upsert(orgId: string, profile: PersonProfile, scim: boolean, lookup?: PersonLookup): Promise<{ personId: string; active: boolean }> {
    let existing: HostTables['test_people'] | undefined;
    if (lookup?.by === 'email') {
      const byEmail = await db.selectFrom('test_people').selectAll().where('org_id', '=', orgId).where((eb) => eb(eb.fn('lower', ['email']), '=', lookup.email.toLowerCase())).execute();
      if (byEmail.length > 1) throw new AmbiguousPersonError(byEmail.length);
      existing = byEmail[0];
    }
    existing ??= await db.selectFrom('test_people').selectAll().where('org_id', '=', orgId).where('external_id', '=', profile.externalId).executeTakeFirst();
    const patch: Partial<HostTables['test_people']> = {};
    if (profile.displayName !== undefined) patch.display_name = profile.displayName;
    if (profile.email !== undefined) patch.email = profile.email;
    if (profile.title !== undefined) patch.title = profile.title;
    if (profile.department !== undefined) patch.department = profile.department;
    if (profile.employeeNumber !== undefined) patch.employee_number = profile.employeeNumber;
    if (profile.managerPersonId !== undefined) patch.manager_id = profile.managerPersonId;
    if (profile.roles !== undefined) patch.roles = JSON.stringify(profile.roles);
    if (scim && profile.active !== undefined) patch.active = profile.active ? 1 : 0;
    if (existing) {
      if (Object.keys(patch).length) await db.updateTable('test_people').set(patch).where('id', '=', existing.id).execute();
      return { personId: existing.id, active: (patch.active ?? existing.active) === 1 };
    }
    const id = `per_${crypto.randomUUID().slice(0, 8)}`;
    await db.insertInto('test_people').values({
      id, org_id: orgId, external_id: profile.externalId, display_name: patch.display_name ?? 'Menteo member', email: patch.email ?? null,
      title: patch.title ?? null, department: patch.department ?? null, employee_number: patch.employee_number ?? null,
      manager_id: patch.manager_id ?? null, roles: patch.roles ?? '["member"]', active: patch.active ?? 1,
    }).execute();
    return { personId: id, active: (patch.active ?? 1) === 1 };
  }
  return {
    upsertPerson: (orgId, profile, lookup) => upsert(orgId, profile, true, lookup),
    async mintEmbedSession(orgId: string, request: EmbedSessionRequest) {
      const person = await db.selectFrom('test_people').select('active').where('id', '=', request.personId).where('org_id', '=', orgId).executeTakeFirst();
      if (!person || person.active !== 1) return null;
      const secret = `es_${crypto.randomUUID()}`;
      await db.insertInto('test_sessions').values({ secret, org_id: orgId, request: JSON.stringify(request) }).execute();
      return { clientSecret: secret, expiresAt: new Date(Date.now() + 300_000).toISOString() };
    },
    async setRoomMembership(_orgId: string, roomId: string, personId: string, role: RoomRole | null, options?: { onlyIfJoinedAt?: string }): Promise<MembershipOutcome> {
      const existing = await db.selectFrom('test_members').selectAll().where('room_id', '=', roomId).where('person_id', '=', personId).executeTakeFirst();
      const previous = existing ? (existing.role as RoomRole) : null;
      if (role === null) {
        if (existing && options?.onlyIfJoinedAt !== undefined && existing.joined_at !== options.onlyIfJoinedAt) return { previous, joinedAt: existing.joined_at };
        await db.deleteFrom('test_members').where('room_id', '=', roomId).where('person_id', '=', personId).execute();
        return { previous, joinedAt: null };
      }
      if (existing) {
        await db.updateTable('test_members').set({ role }).where('room_id', '=', roomId).where('person_id', '=', personId).execute();
        return { previous, joinedAt: existing.joined_at };
      }
      const joinedAt = new Date().toISOString();
      await db.insertInto('test_members').values({ room_id: roomId, person_id: personId, role, joined_at: joinedAt }).execute();
      return { previous, joinedAt };
    },
    async getMilestoneCompletion(_orgId: string, roadmapId: string, personId: string): Promise<MilestoneCompletion | null> {
      const row = await db.selectFrom('test_milestones').selectAll().where('roadmap_id', '=', roadmapId).where('person_id', '=', personId).executeTakeFirst();
      return row ? { completed: row.completed, total: row.total, updatedAt: new Date().toISOString() } : null;
    },
    async listPlaceables() {
      return placeables;
    },
    async updatePerson(orgId, personId, profile) {
      const patch: Partial<HostTables['test_people']> = { external_id: profile.externalId };
      if (profile.displayName !== undefined) patch.display_name = profile.displayName;
      if (profile.email !== undefined) patch.email = profile.email;
      if (profile.title !== undefined) patch.title = profile.title;
      if (profile.department !== undefined) patch.department = profile.department;
      if (profile.employeeNumber !== undefined) patch.employee_number = profile.employeeNumber;
      if (profile.managerPersonId !== undefined) patch.manager_id = profile.managerPersonId;
      if (profile.roles !== undefined) patch.roles = JSON.stringify(profile.roles);
      if (profile.active !== undefined) patch.active = profile.active ? 1 : 0;
      await db.updateTable('test_people').set(patch).where('org_id', '=', orgId).where('id', '=', personId).execute();
    },
    async setPersonActive(orgId, personId, active) {
      await db.updateTable('test_people').set({ active: active ? 1 : 0 }).where('org_id', '=', orgId).where('id', '=', personId).execute();
    },
    async syncGroup(orgId, group) {
      await db.insertInto('test_groups').values({ id: group.groupId, org_id: orgId, display_name: group.displayName, members: JSON.stringify(group.memberPersonIds) })
        .onConflict((oc) => oc.column('id').doUpdateSet({ display_name: group.displayName, members: JSON.stringify(group.memberPersonIds) })).execute();
    },
    async removeGroup(_orgId, groupId) {
      await db.deleteFrom('test_groups').where('id', '=', groupId).execute();
    },
  };
}
