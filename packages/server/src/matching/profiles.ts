/**
 * Matching profiles: the person's own fields (`matching_profiles`) joined with the HR facts SCIM
 * already keeps (`person_enterprise`: department, manager). Writing a department or manager
 * writes `person_enterprise`, so SCIM, imports and admins share one copy.
 * @module
 */
import type { MatchingProfile, ProfileCompleteness, ProfileField, UpdateMatchingProfile } from '@menteo/api/matching';
import { invalid } from '../http/errors.js';
import { json, strings } from '../storage/json.js';
import { chainAbove } from './constraints.js';
import { isTimeZone } from './scoring.js';
import { matchingDb, type MatchingDb } from './tables.js';
import type { Db } from '../views/people.js';

/** Capacity of someone who never set one. */
export const DEFAULT_CAPACITY = 2;

/** An empty profile. */
export function emptyProfile(personId: string): MatchingProfile {
  return {
    personId, wants: [], offers: [], goals: '', capacity: DEFAULT_CAPACITY, timeZone: null, languages: [], department: null, seniority: null,
    managerId: null, hrSource: null, optedOut: false, updatedAt: null,
  };
}

const HR = { scim: 'scim', import: 'import', admin: 'admin' } as const;

/** Profiles of the given people (an empty one for someone never edited), in 2 queries per 500 people. */
export async function loadProfiles(database: Db, ids: Iterable<string>): Promise<Map<string, MatchingProfile>> {
  const db = matchingDb(database);
  const all = [...new Set(ids)];
  const out = new Map<string, MatchingProfile>();
  for (let i = 0; i < all.length; i += 500) {
    const chunk = all.slice(i, i + 500);
    const rows = await db.selectFrom('matching_profiles').selectAll().where('person_id', 'in', chunk).execute();
    const hr = await db.selectFrom('person_enterprise').select(['person_id', 'department', 'manager_person_id']).where('person_id', 'in', chunk).execute();
    for (const id of chunk) {
      const r = rows.find((x) => x.person_id === id);
      const e = hr.find((x) => x.person_id === id);
      const base = emptyProfile(id);
      out.set(id, {
        ...base,
        ...(r ? {
          wants: strings(r.wants), offers: strings(r.offers), goals: r.goals, capacity: r.capacity, timeZone: r.time_zone,
          languages: strings(r.languages), seniority: r.seniority, optedOut: r.opted_out === 1, updatedAt: r.updated_at,
          hrSource: r.hr_source === null ? null : HR[r.hr_source as keyof typeof HR] ?? null,
        } : {}),
        department: e?.department ?? null,
        managerId: e?.manager_person_id ?? null,
        // SCIM writes person_enterprise only: its facts read as from SCIM until someone else sets them.
        ...(!r?.hr_source && e ? { hrSource: 'scim' as const } : {}),
      });
    }
  }
  return out;
}

/** One person's profile. */
export async function loadProfile(db: Db, personId: string): Promise<MatchingProfile> {
  return (await loadProfiles(db, [personId])).get(personId) ?? emptyProfile(personId);
}

/** The manager of every person of the organization who has one: the reporting chains run through people outside any cohort. */
export async function managersOf(db: Db, orgId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('person_enterprise').select(['person_id', 'manager_person_id']).where('org_id', '=', orgId).where('manager_person_id', 'is not', null).execute();
  return new Map(rows.map((r) => [r.person_id, r.manager_person_id as string]));
}

/** Who changed the HR facts. */
export type HrSource = 'import' | 'admin';

/**
 * Applies a change to a person's profile. `source` is set when HR facts are written. A manager
 * must not be the person nor anyone below them (that would make a reporting cycle).
 */
export async function saveProfile(database: Db, orgId: string, personId: string, patch: UpdateMatchingProfile, now: string, source: HrSource | null, field = (name: string) => name): Promise<MatchingProfile> {
  const db: MatchingDb = matchingDb(database);
  if (patch.timeZone !== undefined && patch.timeZone !== null && !isTimeZone(patch.timeZone)) throw invalid(field('timeZone'), 'This time zone is unknown; use an IANA name such as Europe/Paris.');
  if (patch.managerId !== undefined && patch.managerId !== null) {
    if (patch.managerId === personId) throw invalid(field('managerId'), 'A person cannot be their own manager.');
    const manager = await db.selectFrom('people').select('id').where('id', '=', patch.managerId).where('org_id', '=', orgId).executeTakeFirst();
    if (!manager) throw invalid(field('managerId'), 'The manager is not a person of this organization.');
    const chain = chainAbove(await managersOf(database, orgId), patch.managerId);
    if (chain.includes(personId)) throw invalid(field('managerId'), 'This manager reports to the person (directly or further down): that would make a reporting cycle.');
  }
  const current = await db.selectFrom('matching_profiles').selectAll().where('person_id', '=', personId).executeTakeFirst();
  const hrChange = patch.department !== undefined || patch.managerId !== undefined || patch.seniority !== undefined;
  const values = {
    wants: patch.wants !== undefined ? json([...new Set(patch.wants)]) : current?.wants ?? '[]',
    offers: patch.offers !== undefined ? json([...new Set(patch.offers)]) : current?.offers ?? '[]',
    goals: patch.goals ?? current?.goals ?? '',
    capacity: patch.capacity ?? current?.capacity ?? DEFAULT_CAPACITY,
    time_zone: patch.timeZone !== undefined ? patch.timeZone : current?.time_zone ?? null,
    languages: patch.languages !== undefined ? json([...new Set(patch.languages)]) : current?.languages ?? '[]',
    seniority: patch.seniority !== undefined ? patch.seniority : current?.seniority ?? null,
    hr_source: hrChange && source !== null ? source : current?.hr_source ?? null,
    opted_out: patch.optedOut !== undefined ? (patch.optedOut ? 1 : 0) : current?.opted_out ?? 0,
    updated_at: now,
  };
  // One upsert rather than "update if read, else insert": two first saves of one profile at once
  // (PostgreSQL runs them side by side) both read nothing, and the second insert failed with 500.
  await db.insertInto('matching_profiles').values({ person_id: personId, org_id: orgId, ...values })
    .onConflict((oc) => oc.column('person_id').doUpdateSet(values)).execute();
  if (patch.department !== undefined || patch.managerId !== undefined) {
    const hr = await db.selectFrom('person_enterprise').selectAll().where('person_id', '=', personId).executeTakeFirst();
    const next = {
      department: patch.department !== undefined ? patch.department : hr?.department ?? null,
      manager_person_id: patch.managerId !== undefined ? patch.managerId : hr?.manager_person_id ?? null,
      updated_at: now,
    };
    await db.insertInto('person_enterprise').values({ person_id: personId, org_id: orgId, employee_number: null, ...next })
      .onConflict((oc) => oc.column('person_id').doUpdateSet(next)).execute();
  }
  return loadProfile(database, personId);
}

const MENTEE_FIELDS: readonly ProfileField[] = ['wants', 'goals', 'timeZone', 'languages', 'department', 'seniority', 'manager'];
const MENTOR_FIELDS: readonly ProfileField[] = ['offers', 'goals', 'capacity', 'timeZone', 'languages', 'department', 'seniority', 'manager'];

function filled(p: MatchingProfile, f: ProfileField): boolean {
  switch (f) {
    case 'wants': return p.wants.length > 0;
    case 'offers': return p.offers.length > 0;
    case 'goals': return p.goals.trim().length > 0;
    case 'capacity': return p.capacity > 0;
    case 'timeZone': return p.timeZone !== null;
    case 'languages': return p.languages.length > 0;
    case 'department': return p.department !== null;
    case 'seniority': return p.seniority !== null;
    case 'manager': return p.managerId !== null;
  }
}

/** How complete a profile is for a role. */
export function completeness(p: MatchingProfile, role: 'mentor' | 'mentee'): ProfileCompleteness {
  const fields = role === 'mentor' ? MENTOR_FIELDS : MENTEE_FIELDS;
  const missing = fields.filter((f) => !filled(p, f));
  return { percent: Math.round(((fields.length - missing.length) / fields.length) * 100), missing };
}

/** Active rooms per person as mentor. */
export async function activeMentorRooms(db: Db, personIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await db.selectFrom('room_members').innerJoin('rooms', 'rooms.id', 'room_members.room_id')
      .select(['room_members.person_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('room_members.role', '=', 'mentor').where('rooms.status', '=', 'active')
      .where('room_members.person_id', 'in', personIds.slice(i, i + 500)).groupBy('room_members.person_id').execute();
    for (const r of rows) out.set(r.person_id, Number(r.n));
  }
  return out;
}
