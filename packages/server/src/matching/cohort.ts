/**
 * A cohort's matching pool, loaded from the database in a fixed number of queries, and the
 * inputs snapshot a run keeps: a run (and every later edit of its draft) is computed from its
 * snapshot, so it can be explained exactly as it was.
 * @module
 */
import type { MatchingProfile, MatchingRunInputs, MatchingSettings } from '@menteo/api/matching';
import type { CohortsTable } from '../storage/schema.js';
import type { Db } from '../views/people.js';
import { chainAbove, pairKey, type ConstraintFacts } from './constraints.js';
import type { Lock, Pool, PoolMentor, PoolPerson } from './pool.js';
import { activeMentorRooms, loadProfiles, managersOf } from './profiles.js';
import { Scorer, type ScoringProfile } from './scoring.js';

/** A run's inputs without its id. */
export type Inputs = Omit<MatchingRunInputs, 'runId'>;

/** The enrolled, active people of a cohort by role. */
export async function cohortPeople(db: Db, cohortId: string): Promise<{ mentors: string[]; mentees: string[] }> {
  const rows = await db.selectFrom('cohort_enrolments').innerJoin('people', 'people.id', 'cohort_enrolments.person_id')
    .select(['cohort_enrolments.person_id', 'cohort_enrolments.role']).where('cohort_enrolments.cohort_id', '=', cohortId).where('people.active', '=', 1)
    .orderBy('cohort_enrolments.enrolled_at').orderBy('cohort_enrolments.person_id').execute();
  return { mentors: rows.filter((r) => r.role === 'mentor').map((r) => r.person_id), mentees: rows.filter((r) => r.role === 'mentee').map((r) => r.person_id) };
}

/** Pairs (mentor, mentee) among these people that share an active room in those roles. */
export async function activePairs(db: Db, mentors: readonly string[], mentees: readonly string[]): Promise<{ mentorId: string; menteeId: string }[]> {
  const ids = [...mentors, ...mentees];
  if (ids.length === 0) return [];
  const members: { room_id: string; person_id: string; role: string }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    members.push(...await db.selectFrom('room_members').innerJoin('rooms', 'rooms.id', 'room_members.room_id')
      .select(['room_members.room_id', 'room_members.person_id', 'room_members.role']).where('rooms.status', '=', 'active')
      .where('room_members.person_id', 'in', ids.slice(i, i + 500)).execute());
  }
  const byRoom = new Map<string, { mentors: string[]; mentees: string[] }>();
  for (const m of members) {
    const r = byRoom.get(m.room_id) ?? { mentors: [], mentees: [] };
    if (m.role === 'mentor') r.mentors.push(m.person_id);
    if (m.role === 'mentee') r.mentees.push(m.person_id);
    byRoom.set(m.room_id, r);
  }
  const seen = new Set<string>();
  const out: { mentorId: string; menteeId: string }[] = [];
  for (const r of byRoom.values()) {
    for (const mentorId of r.mentors) {
      for (const menteeId of r.mentees) {
        const key = pairKey(mentorId, menteeId);
        if (!seen.has(key)) out.push({ mentorId, menteeId });
        seen.add(key);
      }
    }
  }
  return out;
}

/** Loads what a run of the cohort is computed from, as of now. */
export async function loadInputs(db: Db, cohort: CohortsTable, settings: MatchingSettings, locks: readonly Lock[], excluded: readonly string[]): Promise<Inputs> {
  const { mentors, mentees } = await cohortPeople(db, cohort.id);
  const profiles = await loadProfiles(db, [...mentors, ...mentees]);
  const rooms = await activeMentorRooms(db, mentors);
  const managerOf = await managersOf(db, cohort.org_id);
  // Only the lines along the cohort's people's chains: enough to check every pair, and small.
  const lines = new Map<string, string>();
  for (const id of [...mentors, ...mentees]) {
    let person = id;
    for (const above of chainAbove(managerOf, id)) {
      lines.set(person, above);
      person = above;
    }
  }
  const profile = (id: string): MatchingProfile => profiles.get(id) as MatchingProfile;
  return {
    profiles: [
      ...mentors.map((id) => ({ role: 'mentor' as const, profile: profile(id), activeRooms: rooms.get(id) ?? 0 })),
      ...mentees.map((id) => ({ role: 'mentee' as const, profile: profile(id), activeRooms: 0 })),
    ],
    settings,
    locks: [...locks],
    excludedPersonIds: [...excluded],
    existingPairs: await activePairs(db, mentors, mentees),
    reportingLines: [...lines].map(([personId, managerId]) => ({ personId, managerId })),
  };
}

/** What scoring reads of a profile. */
export function scoringProfile(p: MatchingProfile): ScoringProfile {
  return { wants: p.wants, offers: p.offers, goals: p.goals, timeZone: p.timeZone, languages: p.languages, department: p.department, seniority: p.seniority };
}

/** The scorer of a run's settings at its instant. */
export function scorerOf(inputs: Pick<Inputs, 'settings'>, at: Date): Scorer {
  return new Scorer(inputs.settings, at);
}

/** The constraint facts of a snapshot. */
export function factsOf(inputs: Inputs): ConstraintFacts {
  return {
    managerOf: new Map(inputs.reportingLines.map((l) => [l.personId, l.managerId])),
    excludePeers: inputs.settings.excludePeers,
    excludedPairs: new Set(inputs.settings.excludedPairs.map((p) => pairKey(p.mentorId, p.menteeId))),
    existingPairs: new Set(inputs.existingPairs.map((p) => pairKey(p.mentorId, p.menteeId))),
    optedOut: new Set(inputs.profiles.filter((p) => p.profile.optedOut).map((p) => p.profile.personId)),
    excludedPeople: new Set(inputs.excludedPersonIds),
  };
}

/** The pool of a snapshot. */
export function poolOf(inputs: Inputs): Pool {
  const mentees: PoolPerson[] = [];
  const mentors: PoolMentor[] = [];
  for (const p of inputs.profiles) {
    if (p.role === 'mentee') mentees.push({ id: p.profile.personId, profile: scoringProfile(p.profile) });
    else mentors.push({ id: p.profile.personId, profile: scoringProfile(p.profile), freeSeats: Math.max(0, p.profile.capacity - p.activeRooms) });
  }
  return { mentees, mentors, facts: factsOf(inputs), locks: inputs.locks };
}
