/**
 * `PeopleDirectory` over the server's own tables: SCIM provisioning writes the very `people` rows
 * that `/v1/people`, the widgets and LTI launches read, matched by `(org_id, external_id)`.
 * HR attributes the contract does not carry go to `person_enterprise`; SCIM groups to
 * `people_groups` (provisioning data only, see the schema).
 * @module
 */
import type { LtiDatabase, PeopleDirectory, PersonProfile } from '@menteo/lti';
import { AmbiguousPersonError, ScimError } from '@menteo/lti';
import type { Kysely, Transaction } from 'kysely';
import { afterDeactivation, afterPersonChange, revokePersonCredentials } from '../auth/revocation.js';
import { newId } from '../storage/ids.js';
import { json } from '../storage/json.js';
import type { Database, PeopleTable } from '../storage/schema.js';
import { forgetGroup, syncGroupEnrolments } from '../programs/enrolment.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Shown when an LMS's privacy settings strip the name of someone Menteo has never seen. */
const PLACEHOLDER_NAME = 'Menteo member';

/** Same rule as `/v1/people`: lowercased name and email, for case-insensitive search. */
function searchText(displayName: string, email: string | null): string {
  return `${displayName}\n${email ?? ''}`.toLowerCase();
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /unique|constraint/i.test(error.message);
}

/**
 * The columns of `people` a profile changes, given the current row. `mayChangeActive` is false
 * for LTI launches: an LMS never reactivates someone HR deactivated.
 */
function patchOf(row: PeopleTable | undefined, profile: PersonProfile, mayChangeActive: boolean): Partial<PeopleTable> {
  const patch: Partial<PeopleTable> = {};
  const displayName = profile.displayName?.trim();
  if (displayName && displayName !== row?.display_name) patch.display_name = displayName.slice(0, 120);
  if (profile.email !== undefined && profile.email !== row?.email) patch.email = profile.email;
  if (profile.title !== undefined && profile.title !== row?.title) patch.title = profile.title;
  if (profile.roles !== undefined) {
    const roles = json([...new Set(profile.roles.length > 0 ? profile.roles : ['member'])]);
    if (roles !== row?.roles) patch.roles = roles;
  }
  if (mayChangeActive && profile.active !== undefined) {
    const active = profile.active ? 1 : 0;
    if (active !== row?.active) patch.active = active;
  }
  return patch;
}

/** Applies a patch to a person row (and keeps `search_text` in step). */
async function applyPatch(db: Db, row: PeopleTable, patch: Partial<PeopleTable>, now: string): Promise<PeopleTable> {
  if (Object.keys(patch).length === 0) return row;
  const next: PeopleTable = { ...row, ...patch, updated_at: now };
  next.search_text = searchText(next.display_name, next.email);
  const { id: _id, org_id: _org, created_at: _created, ...changes } = next;
  await db.updateTable('people').set(changes).where('id', '=', row.id).execute();
  return next;
}

/** Writes the enterprise attributes a profile carries; fields left undefined stay as they are. */
async function applyEnterprise(db: Db, orgId: string, personId: string, profile: PersonProfile, now: string): Promise<void> {
  if (profile.department === undefined && profile.employeeNumber === undefined && profile.managerPersonId === undefined) return;
  let manager = profile.managerPersonId;
  if (manager) {
    // Only a person of the same organization can be a manager; anything else is dropped, not an error,
    // because identity providers send managers before (or without) provisioning them.
    const found = await db.selectFrom('people').select('id').where('id', '=', manager).where('org_id', '=', orgId).executeTakeFirst();
    if (!found || manager === personId) manager = null;
  }
  const existing = await db.selectFrom('person_enterprise').selectAll().where('person_id', '=', personId).executeTakeFirst();
  const values = {
    department: profile.department !== undefined ? profile.department : (existing?.department ?? null),
    employee_number: profile.employeeNumber !== undefined ? profile.employeeNumber : (existing?.employee_number ?? null),
    manager_person_id: manager !== undefined ? manager : (existing?.manager_person_id ?? null),
    updated_at: now,
  };
  if (existing) await db.updateTable('person_enterprise').set(values).where('person_id', '=', personId).execute();
  else await db.insertInto('person_enterprise').values({ person_id: personId, org_id: orgId, ...values }).execute();
}

/**
 * Finds the person of the organization with this external id, or creates them, then applies the
 * profile. Concurrent calls for the same person create one row: the insert yields to the unique
 * index on `(org_id, external_id)` and both callers then update the winner.
 */
export async function upsertPersonByExternalId(
  db: Kysely<Database>,
  orgId: string,
  profile: PersonProfile,
  options: { mayChangeActive: boolean },
): Promise<{ personId: string; active: boolean }> {
  const now = new Date().toISOString();
  const find = () => db.selectFrom('people').selectAll().where('org_id', '=', orgId).where('external_id', '=', profile.externalId).executeTakeFirst();
  let row = await find();
  if (!row) {
    const displayName = profile.displayName?.trim().slice(0, 120) || PLACEHOLDER_NAME;
    const email = profile.email ?? null;
    const candidate: PeopleTable = {
      id: newId('per'),
      org_id: orgId,
      external_id: profile.externalId,
      display_name: displayName,
      search_text: searchText(displayName, email),
      email,
      title: profile.title ?? null,
      skills: json([]),
      avatar_url: null,
      roles: json([...new Set(profile.roles && profile.roles.length > 0 ? profile.roles : ['member'])]),
      active: options.mayChangeActive && profile.active === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    };
    await db.insertInto('people').values(candidate).onConflict((oc) => oc.columns(['org_id', 'external_id']).doNothing()).execute();
    row = await find();
    if (!row) throw new Error(`person with external id ${profile.externalId} vanished during upsert`);
    if (row.id === candidate.id) {
      await applyEnterprise(db, orgId, row.id, profile, now);
      return { personId: row.id, active: row.active === 1 };
    }
  }
  const updated = await db.transaction().execute(async (trx) => {
    const current = row as PeopleTable;
    const patch = patchOf(current, profile, options.mayChangeActive);
    const next = await applyPatch(trx, current, patch, now);
    if (current.active === 1 && next.active === 0) await revokePersonCredentials(trx, current.id);
    await applyEnterprise(trx, orgId, current.id, profile, now);
    return next;
  });
  afterPersonChange(db, row as PeopleTable, updated);
  return { personId: updated.id, active: updated.active === 1 };
}

/**
 * An LTI launch under `personMatch: "email"`: the one person of the organization whose email
 * equals `email` case-insensitively is the launched person, whatever their external id (a person
 * provisioned by SCIM keeps `hr-alan`); the profile updates them as any launch does, except the
 * email itself when it differs only in case (HR's spelling stays). Nobody with the email: the
 * person is created by external id as before. Several people: {@link AmbiguousPersonError}.
 * LTI is not authoritative for `active`.
 */
export async function upsertPersonByEmail(db: Kysely<Database>, orgId: string, profile: PersonProfile, email: string): Promise<{ personId: string; active: boolean }> {
  const wanted = email.trim().toLowerCase();
  // lower() on both sides: emails were stored as given (HR systems keep their own case).
  const matches = await db.selectFrom('people').selectAll().where('org_id', '=', orgId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', wanted)).orderBy('id').limit(2).execute();
  if (matches.length > 1) throw new AmbiguousPersonError(matches.length);
  const row = matches[0];
  if (!row) return upsertPersonByExternalId(db, orgId, profile, { mayChangeActive: false });
  const { email: _sameEmail, ...rest } = profile;
  const now = new Date().toISOString();
  const updated = await db.transaction().execute(async (trx) => {
    const next = await applyPatch(trx, row, patchOf(row, rest, false), now);
    await applyEnterprise(trx, orgId, row.id, rest, now);
    return next;
  });
  afterPersonChange(db, row, updated);
  return { personId: updated.id, active: updated.active === 1 };
}

/** Activates or deactivates a person; deactivation deletes their tokens and unexchanged secrets. */
export async function setPersonActive(db: Kysely<Database>, orgId: string, personId: string, active: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('people').select(['id', 'active']).where('id', '=', personId).where('org_id', '=', orgId).executeTakeFirst();
    if (!row) return;
    if (row.active !== (active ? 1 : 0)) {
      await trx.updateTable('people').set({ active: active ? 1 : 0, updated_at: new Date().toISOString() }).where('id', '=', personId).execute();
    }
    // Revoke even when the flag was already off: a token minted in a race must not survive.
    if (!active) await revokePersonCredentials(trx, personId);
  });
  if (!active) afterDeactivation(db, personId);
}

/**
 * SCIM creating someone Menteo first met through an LTI launch matched by email: that launch
 * keyed the new person by their lowercased email (`personMatch: "email"`). HR's record takes that
 * person over, its external id replacing the email, instead of making a second person with the
 * same email; later launches still find them by email. Only a person keyed by exactly this
 * email, and not provisioned by SCIM already, is adopted.
 */
async function adoptEmailKeyedPerson(db: Kysely<Database>, orgId: string, profile: PersonProfile): Promise<void> {
  const email = profile.email?.trim().toLowerCase();
  if (!email || email === profile.externalId) return;
  const taken = await db.selectFrom('people').select('id').where('org_id', '=', orgId).where('external_id', '=', profile.externalId).executeTakeFirst();
  if (taken) return;
  const keyed = await db.selectFrom('people').select('id').where('org_id', '=', orgId).where('external_id', '=', email).executeTakeFirst();
  if (!keyed) return;
  // The lti_ tables share the connection (see mount.ts); a person another SCIM user already holds is not taken.
  const provisioned = await (db as unknown as Kysely<LtiDatabase>).selectFrom('lti_scim_users').select('id').where('person_id', '=', keyed.id).executeTakeFirst();
  if (provisioned) return;
  try {
    await db.updateTable('people').set({ external_id: profile.externalId, updated_at: new Date().toISOString() })
      .where('id', '=', keyed.id).where('external_id', '=', email).execute();
  } catch (error) {
    // Someone created a person with this external id meanwhile: the upsert that follows finds them.
    if (!isUniqueViolation(error)) throw error;
  }
}

/** Builds the directory SCIM provisions through. */
export function createPeopleDirectory(db: Kysely<Database>): PeopleDirectory {
  return {
    async upsertPerson(orgId, profile) {
      await adoptEmailKeyedPerson(db, orgId, profile);
      return upsertPersonByExternalId(db, orgId, profile, { mayChangeActive: true });
    },

    async updatePerson(orgId, personId, profile) {
      const row = await db.selectFrom('people').selectAll().where('id', '=', personId).where('org_id', '=', orgId).executeTakeFirst();
      if (!row) throw new ScimError(404, 'The Menteo person behind this user no longer exists.');
      const now = new Date().toISOString();
      const patch = patchOf(row, profile, true);
      // Identity providers may change a user's externalId; it must stay unique in the organization.
      if (profile.externalId !== row.external_id) patch.external_id = profile.externalId;
      try {
        await db.transaction().execute(async (trx) => {
          const next = await applyPatch(trx, row, patch, now);
          if (row.active === 1 && next.active === 0) await revokePersonCredentials(trx, row.id);
          await applyEnterprise(trx, orgId, row.id, profile, now);
        });
        afterPersonChange(db, row, { ...row, ...patch });
      } catch (error) {
        if (isUniqueViolation(error)) throw new ScimError(409, `Another person already has externalId "${profile.externalId}".`, 'uniqueness');
        throw error;
      }
    },

    setPersonActive: (orgId, personId, active) => setPersonActive(db, orgId, personId, active),

    async syncGroup(orgId, group) {
      const now = new Date().toISOString();
      await db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('people_groups').select(['id', 'org_id']).where('id', '=', group.groupId).executeTakeFirst();
        if (existing && existing.org_id !== orgId) throw new Error(`group ${group.groupId} belongs to another organization`);
        if (existing) {
          await trx.updateTable('people_groups').set({ display_name: group.displayName, external_id: group.externalId, updated_at: now }).where('id', '=', group.groupId).execute();
        } else {
          await trx.insertInto('people_groups').values({
            id: group.groupId, org_id: orgId, external_id: group.externalId, display_name: group.displayName, source: 'scim', created_at: now, updated_at: now,
          }).execute();
        }
        await trx.deleteFrom('people_group_members').where('group_id', '=', group.groupId).execute();
        const ids = [...new Set(group.memberPersonIds)];
        if (ids.length === 0) return;
        // Only people of the organization: a foreign id from a confused identity provider is ignored.
        const people = await trx.selectFrom('people').select('id').where('org_id', '=', orgId).where('id', 'in', ids).execute();
        if (people.length === 0) return;
        await trx.insertInto('people_group_members').values(people.map((p) => ({ group_id: group.groupId, person_id: p.id, org_id: orgId }))).execute();
      });
      // Cohorts linked to the group follow its members (enrol those who joined, unenrol those who left).
      await db.transaction().execute((trx) => syncGroupEnrolments(trx, orgId, group.groupId, now));
    },

    async removeGroup(orgId, groupId) {
      // Members first: SQLite enforces the cascade only when foreign keys are on for the connection.
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('people_group_members').where('group_id', '=', groupId).where('org_id', '=', orgId).execute();
        await forgetGroup(trx, orgId, groupId);
        await trx.deleteFrom('people_groups').where('id', '=', groupId).where('org_id', '=', orgId).execute();
      });
    },
  };
}
