/**
 * Program health: per-room rows (the list and the export) and the summary of a cohort or the whole
 * organization. A fixed number of aggregate queries however many rooms; the at-risk reasons come
 * from the adjust loop's rules (`rules.ts`, through `attention.ts`), never a copy of them.
 * Numbers and reasons only: no query here reads a message, a note, a check-in's text or a comment.
 * @module
 */
import type { AtRiskRoom, ConfidenceWeek, MentorLoad, ProgramHealthSummary, RatingSummary } from '@menteo/api/health';
import { MAX_AT_RISK, STALLED_DAYS, TREND_WEEKS } from '@menteo/api/health';
import type { RoomHealth } from '@menteo/api/feedback';
import type { AttentionFinding } from '@menteo/api/attention';
import type { Principal } from '../context.js';
import type { RoomsTable } from '../storage/schema.js';
import type { Db } from '../views/people.js';
import { attentionOf, groupBy, loadRoomFacts } from './attention.js';
import { countFindings } from './rules.js';

const DAY_MS = 86_400_000;

/** Which rooms a health answer covers: the caller's organization, a token's room limit, one cohort. */
export interface HealthScope {
  readonly orgId: string;
  /** A token's room limit; null when not limited. */
  readonly roomIds: readonly string[] | null;
  readonly cohortId: string | null;
}

/** The scope of a request. */
export function scopeOf(principal: Principal, cohortId: string | undefined): HealthScope {
  return { orgId: principal.orgId, roomIds: principal.roomIds, cohortId: cohortId ?? null };
}

/** The rooms of a scope, as a query to refine (keyset pages, status filters). */
export function roomsIn(db: Db, scope: HealthScope) {
  let q = db.selectFrom('rooms').where('rooms.org_id', '=', scope.orgId);
  if (scope.roomIds !== null) q = q.where('rooms.id', 'in', scope.roomIds.length > 0 ? [...scope.roomIds] : ['']);
  if (scope.cohortId !== null) {
    const cohortId = scope.cohortId;
    q = q.where('rooms.id', 'in', (eb) => eb.selectFrom('cohort_rooms').select('cohort_rooms.room_id').where('cohort_rooms.cohort_id', '=', cohortId));
  }
  return q;
}

function round2(v: number | string | null | undefined): number | null {
  return v === undefined || v === null ? null : Math.round(Number(v) * 100) / 100;
}

/** Health rows of these rooms (one page of the list, or one batch of the export): seven queries in all. */
export async function roomHealthRows(db: Db, rooms: readonly RoomsTable[], now: string): Promise<RoomHealth[]> {
  if (rooms.length === 0) return [];
  const ids = rooms.map((r) => r.id);
  const today = now.slice(0, 10);
  const [members, milestones, activity, confidence, ratings, findings] = await Promise.all([
    db.selectFrom('room_members').select(['room_id', 'person_id', 'role']).where('room_id', 'in', ids).orderBy('joined_at').orderBy('person_id').execute(),
    db.selectFrom('milestones').innerJoin('roadmaps', 'roadmaps.id', 'milestones.roadmap_id')
      .select(['roadmaps.room_id as room_id', 'milestones.status as status', 'milestones.due_date as due_date']).where('roadmaps.room_id', 'in', ids).execute(),
    db.selectFrom('events').select('room_id').select((eb) => eb.fn.max('occurred_at').as('last')).where('room_id', 'in', ids).groupBy('room_id').execute(),
    db.selectFrom('check_ins').select('room_id').select((eb) => eb.fn.avg<number>('confidence').as('avg')).where('room_id', 'in', ids).groupBy('room_id').execute(),
    db.selectFrom('feedback').select('room_id').select((eb) => eb.fn.avg<number>('rating').as('avg')).where('room_id', 'in', ids).groupBy('room_id').execute(),
    attentionOf(db, rooms, now),
  ]);
  const membersBy = groupBy(members, (m) => m.room_id);
  const milestonesBy = groupBy(milestones, (m) => m.room_id);
  const lastBy = new Map(activity.map((a) => [a.room_id, a.last]));
  const confidenceBy = new Map(confidence.map((c) => [c.room_id, c.avg]));
  const ratingBy = new Map(ratings.map((r) => [r.room_id, r.avg]));
  return rooms.map((room) => {
    const mine = milestonesBy.get(room.id) ?? [];
    const count = (status: string) => mine.filter((m) => m.status === status).length;
    const people = membersBy.get(room.id) ?? [];
    return {
      roomId: room.id,
      title: room.title,
      status: room.status,
      mentorIds: people.filter((m) => m.role === 'mentor').map((m) => m.person_id),
      menteeIds: people.filter((m) => m.role === 'mentee').map((m) => m.person_id),
      milestones: {
        planned: count('planned'), in_progress: count('in_progress'), done: count('done'), blocked: count('blocked'),
        overdue: mine.filter((m) => m.status !== 'done' && m.due_date < today).length,
      },
      lastActivityAt: lastBy.get(room.id) ?? null,
      averageConfidence: round2(confidenceBy.get(room.id)),
      averageRating: round2(ratingBy.get(room.id)),
      findings: findings.get(room.id) ?? [],
    };
  });
}

/** The Monday (UTC) of the week of a `YYYY-MM-DD` date. */
export function mondayOf(date: string): string {
  const t = Date.parse(`${date}T00:00:00.000Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - weekday * DAY_MS).toISOString().slice(0, 10);
}

/** The summary of a scope at `now`. */
export async function programHealthSummary(db: Db, scope: HealthScope, now: string): Promise<ProgramHealthSummary> {
  const today = now.slice(0, 10);
  const stalledBefore = new Date(Date.parse(now) - STALLED_DAYS * DAY_MS).toISOString();
  const cadenceFrom = new Date(Date.parse(now) - 28 * DAY_MS).toISOString();
  const trendFrom = new Date(Date.parse(`${mondayOf(today)}T00:00:00.000Z`) - (TREND_WEEKS - 1) * 7 * DAY_MS).toISOString();
  const scoped = () => roomsIn(db, scope).select('rooms.id');

  const [rooms, funnel, cadence, menteeCount, days, ratings, load] = await Promise.all([
    // The last event of each room through its (room_id, id) index: ids are time-ordered.
    roomsIn(db, scope).selectAll('rooms')
      .select((eb) => eb.selectFrom('events').select('events.occurred_at').whereRef('events.room_id', '=', 'rooms.id')
        .orderBy('events.id', 'desc').limit(1).as('last_activity_at'))
      .execute(),
    db.selectFrom('milestones').innerJoin('roadmaps', 'roadmaps.id', 'milestones.roadmap_id')
      .select('milestones.status as status')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .select((eb) => eb.fn.sum<number>(eb.case().when('milestones.due_date', '<', today).then(1).else(0).end()).as('past_due'))
      .where('roadmaps.room_id', 'in', scoped()).groupBy('milestones.status').execute(),
    db.selectFrom('check_ins').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('room_id', 'in', scoped()).where('created_at', '>=', cadenceFrom).executeTakeFirstOrThrow(),
    db.selectFrom('room_members').select((eb) => eb.fn.count<number>('person_id').distinct().as('n'))
      .where('role', '=', 'mentee').where('room_id', 'in', scoped().where('rooms.status', '=', 'active')).executeTakeFirstOrThrow(),
    // Per day in SQL (portable `substr`), per week here: at most 56 rows whatever the size.
    db.selectFrom('check_ins').select((eb) => [eb.fn<string>('substr', ['created_at', eb.val(1), eb.val(10)]).as('day'), eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('confidence').as('total')])
      .where('room_id', 'in', scoped()).where('created_at', '>=', trendFrom).groupBy('day').execute(),
    db.selectFrom('feedback').select('direction').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.avg<number>('rating').as('avg')])
      .where('room_id', 'in', scoped()).groupBy('direction').execute(),
    db.selectFrom('room_members as mentor').innerJoin('people', 'people.id', 'mentor.person_id')
      .leftJoin('room_members as mentee', (j) => j.onRef('mentee.room_id', '=', 'mentor.room_id').on('mentee.role', '=', 'mentee'))
      .select(['mentor.person_id as person_id', 'people.display_name as display_name'])
      .select((eb) => [eb.fn.count<number>('mentee.person_id').distinct().as('mentees'), eb.fn.count<number>('mentor.room_id').distinct().as('rooms')])
      .where('mentor.role', '=', 'mentor').where('mentor.room_id', 'in', scoped().where('rooms.status', '=', 'active'))
      .groupBy(['mentor.person_id', 'people.display_name']).execute(),
  ]);

  let active = 0;
  let stalled = 0;
  let finished = 0;
  for (const room of rooms) {
    if (room.status !== 'active') finished++;
    else if ((room.last_activity_at ?? room.created_at) < stalledBefore) stalled++;
    else active++;
  }

  const milestones = { planned: 0, in_progress: 0, done: 0, blocked: 0, overdue: 0 };
  for (const row of funnel) {
    const n = Number(row.n);
    if (row.status === 'planned' || row.status === 'in_progress' || row.status === 'done' || row.status === 'blocked') milestones[row.status] += n;
    if (row.status !== 'done') milestones.overdue += Number(row.past_due ?? 0);
  }

  const weeks = new Map<string, { n: number; total: number }>();
  for (let i = TREND_WEEKS - 1; i >= 0; i--) {
    weeks.set(new Date(Date.parse(`${mondayOf(today)}T00:00:00.000Z`) - i * 7 * DAY_MS).toISOString().slice(0, 10), { n: 0, total: 0 });
  }
  for (const d of days) {
    const week = weeks.get(mondayOf(d.day));
    if (!week) continue;
    week.n += Number(d.n);
    week.total += Number(d.total);
  }
  const confidence: ConfidenceWeek[] = [...weeks].map(([week, { n, total }]) => ({ week, checkIns: n, average: n === 0 ? null : round2(total / n) }));

  const rating = (direction: string): RatingSummary => {
    const row = ratings.find((r) => r.direction === direction);
    return { count: Number(row?.n ?? 0), average: round2(row?.avg) };
  };

  const mentorLoad: MentorLoad[] = load
    .map((l) => ({ personId: l.person_id, displayName: l.display_name, mentees: Number(l.mentees), rooms: Number(l.rooms) }))
    .sort((a, b) => b.mentees - a.mentees || b.rooms - a.rooms || a.displayName.localeCompare(b.displayName) || a.personId.localeCompare(b.personId));

  // Every active room's findings are counted by the adjust loop's rules on facts without text
  // (titles and names are only quoted by the rules, never tested; counting builds no reason), then
  // the rooms listed are evaluated with their full facts, so their reasons read as in the room.
  const activeRooms = rooms.filter((r) => r.status === 'active');
  const counted = (await loadRoomFacts(db, activeRooms, 'counting')).map((facts) => ({ roomId: facts.roomId, n: countFindings(facts, now) }));
  const titles = new Map(activeRooms.map((r) => [r.id, r.title]));
  const risky = counted.filter((c) => c.n > 0)
    .map((c) => ({ roomId: c.roomId, title: titles.get(c.roomId) ?? '', n: c.n }))
    .sort((a, b) => b.n - a.n || a.title.localeCompare(b.title) || a.roomId.localeCompare(b.roomId));
  const listed = risky.slice(0, MAX_AT_RISK);
  const findings: Map<string, AttentionFinding[]> = await attentionOf(db, listed.map((r) => ({ id: r.roomId, status: 'active' })), now);
  const atRisk: AtRiskRoom[] = listed.map((r) => ({ roomId: r.roomId, title: r.title, findings: findings.get(r.roomId) ?? [] }));

  const mentees = Number(menteeCount.n);
  const last28Days = Number(cadence.n);
  return {
    cohortId: scope.cohortId,
    evaluatedAt: now,
    rooms: { total: rooms.length, active, stalled, finished },
    milestones,
    checkIns: { last28Days, mentees, perMenteePerWeek: mentees === 0 ? null : round2(last28Days / mentees / 4), confidence },
    feedback: { mentee_to_mentor: rating('mentee_to_mentor'), mentor_to_mentee: rating('mentor_to_mentee') },
    mentorLoad,
    atRiskCount: risky.length,
    atRisk,
  };
}
