/**
 * The adjust loop's rules, defined once: pure functions of a room's facts and a clock, so the
 * room, the roadmap, the mentor's overview and admin views all say the same thing, and each rule
 * can be tested at its boundaries without a database or a real clock. The contract
 * (`@menteo/api/attention`) documents the rules for API users; this is their only implementation.
 * @module
 */
import {
  BLOCKED_DAYS, CHECK_IN_GAP_DAYS, CONFIDENCE_DROP, type Adjustment, type AttentionFinding,
} from '@menteo/api/attention';

const DAY_MS = 86_400_000;

/** A milestone as the rules see it. */
export interface MilestoneFacts {
  readonly id: string;
  readonly title: string;
  /** `YYYY-MM-DD`. */
  readonly dueDate: string;
  readonly status: string;
  readonly statusChangedAt: string;
}

/** A mentee as the rules see them. */
export interface MenteeFacts {
  readonly personId: string;
  readonly displayName: string;
  readonly joinedAt: string;
}

/** A check-in as the rules see it (no text: the rules never quote it). */
export interface CheckInFacts {
  readonly authorId: string;
  readonly confidence: number;
  readonly createdAt: string;
}

/** Everything the rules need about one room. */
export interface RoomFacts {
  readonly roomId: string;
  readonly status: string;
  /** The milestones of every roadmap of the room. */
  readonly milestones: readonly MilestoneFacts[];
  readonly mentees: readonly MenteeFacts[];
  /**
   * Check-ins of the room's mentees; the rules use each mentee's latest three, so a loader may
   * pass only those.
   */
  readonly checkIns: readonly CheckInFacts[];
}

/** Whole days from `from` to `to` (instants), rounded down. */
export function wholeDays(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** Calendar days from date `a` to date `b` (`YYYY-MM-DD`, UTC). */
function calendarDays(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00.000Z`) - Date.parse(`${a}T00:00:00.000Z`)) / DAY_MS);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const MILESTONE_ADJUSTMENTS: readonly Adjustment[] = ['move', 'rescope', 'drop'];

// Each rule is decided once, by a function below that answers whether it holds (and the numbers
// it quotes); the finding builders and `countFindings` both ask it, so counting never drifts from
// what the room shows.

/** `milestone_overdue` holds: the whole days since the due date, or null. */
function overdueDays(m: MilestoneFacts, today: string): number | null {
  if (m.status === 'done') return null;
  const days = calendarDays(m.dueDate, today);
  return days < 1 ? null : days;
}

/** `milestone_blocked` holds: the whole days blocked, or null. */
function blockedDays(m: MilestoneFacts, now: string): number | null {
  if (m.status !== 'blocked') return null;
  const days = wholeDays(m.statusChangedAt, now);
  return days < BLOCKED_DAYS ? null : days;
}

/** `check_ins_stopped` holds: since when and how many whole days, or null. */
function checkInGap(mentee: MenteeFacts, own: readonly CheckInFacts[], now: string): { readonly since: string; readonly days: number; readonly checkedIn: boolean } | null {
  const last = own.at(-1);
  const since = last?.createdAt ?? mentee.joinedAt;
  const days = wholeDays(since, now);
  return days < CHECK_IN_GAP_DAYS ? null : { since, days, checkedIn: last !== undefined };
}

/** `confidence_falling` holds: the check-ins that fell, oldest first, or null. */
function fallingCheckIns(own: readonly CheckInFacts[]): CheckInFacts[] | null {
  const [a, b, c] = own.slice(-3);
  if (a && b && c && a.confidence > b.confidence && b.confidence > c.confidence) return [a, b, c];
  const prev = own.at(-2);
  const last = own.at(-1);
  if (prev && last && prev.confidence - last.confidence >= CONFIDENCE_DROP) return [prev, last];
  return null;
}

/** Rule `milestone_overdue`: not done, due date before today (UTC). */
export function overdueFinding(roomId: string, m: MilestoneFacts, now: string): AttentionFinding | null {
  const days = overdueDays(m, now.slice(0, 10));
  if (days === null) return null;
  return {
    code: 'milestone_overdue', roomId, milestoneId: m.id, personId: null,
    reason: `"${m.title}" was due on ${m.dueDate} and is not done (${plural(days, 'day', 'days')} ago). Move its due date, re-scope it or drop it, with a reason.`,
    since: new Date(Date.parse(`${m.dueDate}T00:00:00.000Z`) + DAY_MS).toISOString(),
    days, confidences: [], adjustments: [...MILESTONE_ADJUSTMENTS],
  };
}

/** Rule `milestone_blocked`: blocked for at least {@link BLOCKED_DAYS} whole days. */
export function blockedFinding(roomId: string, m: MilestoneFacts, now: string): AttentionFinding | null {
  const days = blockedDays(m, now);
  if (days === null) return null;
  return {
    code: 'milestone_blocked', roomId, milestoneId: m.id, personId: null,
    reason: `"${m.title}" has been blocked for ${plural(days, 'day', 'days')}. Re-scope it, move it or drop it, with a reason.`,
    since: m.statusChangedAt, days, confidences: [], adjustments: ['rescope', 'move', 'drop'],
  };
}

/**
 * A mentee's check-ins, oldest first. Instants are ISO strings of one format, so comparing their
 * characters orders them in time (and costs a fraction of a locale-aware comparison).
 */
function checkInsOf(facts: RoomFacts, personId: string): CheckInFacts[] {
  return facts.checkIns.filter((c) => c.authorId === personId).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/**
 * Rule `check_ins_stopped`: the mentee's last check-in, or their joining when they never checked
 * in, is at least {@link CHECK_IN_GAP_DAYS} whole days old.
 */
export function checkInGapFinding(roomId: string, mentee: MenteeFacts, own: readonly CheckInFacts[], now: string, adjustable: boolean): AttentionFinding | null {
  const gap = checkInGap(mentee, own, now);
  if (gap === null) return null;
  const { since, days } = gap;
  const reason = gap.checkedIn
    ? `${mentee.displayName} has not checked in for ${plural(days, 'day', 'days')}.`
    : `${mentee.displayName} has not checked in since joining the room ${plural(days, 'day', 'days')} ago.`;
  return {
    code: 'check_ins_stopped', roomId, milestoneId: null, personId: mentee.personId,
    reason: `${reason} Ask how it is going; if the plan no longer fits, move or re-scope a milestone.`,
    since, days, confidences: [], adjustments: adjustable ? ['move', 'rescope'] : [],
  };
}

/**
 * Rule `confidence_falling`: the mentee's last three check-ins strictly falling, or the last one
 * at least {@link CONFIDENCE_DROP} points below the one before.
 */
export function confidenceFinding(roomId: string, mentee: MenteeFacts, own: readonly CheckInFacts[], adjustable: boolean): AttentionFinding | null {
  const fell = fallingCheckIns(own);
  if (!fell) return null;
  const values = fell.map((x) => x.confidence);
  const first = fell[0];
  if (!first) return null;
  return {
    code: 'confidence_falling', roomId, milestoneId: null, personId: mentee.personId,
    reason: `${mentee.displayName}'s confidence fell across the last check-ins (${values.join(' → ')} out of 5). Talk it through; re-scope, move or drop what no longer fits.`,
    since: first.createdAt, days: null, confidences: values, adjustments: adjustable ? ['rescope', 'move', 'drop'] : [],
  };
}

/**
 * Every finding of one room at `now`: milestone findings by due date (overdue before blocked for
 * the same milestone), then each mentee's findings by name. Archived rooms have none.
 */
export function evaluateRoom(facts: RoomFacts, now: string): AttentionFinding[] {
  if (facts.status !== 'active') return [];
  const findings: AttentionFinding[] = [];
  const milestones = [...facts.milestones].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id));
  for (const m of milestones) {
    const overdue = overdueFinding(facts.roomId, m, now);
    if (overdue) findings.push(overdue);
    const blocked = blockedFinding(facts.roomId, m, now);
    if (blocked) findings.push(blocked);
  }
  // Room findings offer adjustments only when there is an open milestone to adjust.
  const adjustable = facts.milestones.some((m) => m.status !== 'done');
  const mentees = [...facts.mentees].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.personId.localeCompare(b.personId));
  for (const mentee of mentees) {
    const own = checkInsOf(facts, mentee.personId);
    const gap = checkInGapFinding(facts.roomId, mentee, own, now, adjustable);
    if (gap) findings.push(gap);
    const confidence = confidenceFinding(facts.roomId, mentee, own, adjustable);
    if (confidence) findings.push(confidence);
  }
  return findings;
}

/**
 * How many findings `evaluateRoom` raises for this room at `now`, without building them (no
 * reasons, no sorting): program health counts the findings of every active room and builds them
 * only for the rooms it lists. The same decisions as the findings, by construction.
 */
export function countFindings(facts: RoomFacts, now: string): number {
  if (facts.status !== 'active') return 0;
  const today = now.slice(0, 10);
  let n = 0;
  for (const m of facts.milestones) {
    if (overdueDays(m, today) !== null) n++;
    if (blockedDays(m, now) !== null) n++;
  }
  for (const mentee of facts.mentees) {
    const own = checkInsOf(facts, mentee.personId);
    if (checkInGap(mentee, own, now) !== null) n++;
    if (fallingCheckIns(own) !== null) n++;
  }
  return n;
}
