/**
 * The adjust loop: what in a room needs attention, why, and which adjustment of the roadmap it
 * calls for. The rules live on the server (one definition, reused by the room, the roadmap, the
 * mentor's overview and admin views); this module is their contract.
 *
 * The rules, evaluated at the moment of the request (UTC calendar days):
 * - `milestone_overdue`: a milestone not done whose due date is before today: it was neither
 *   finished nor moved by its due date. `days` counts the days since the due date (1 the day after).
 * - `milestone_blocked`: a milestone whose status has been `blocked` for at least
 *   {@link BLOCKED_DAYS} days (from `statusChangedAt`). `days` counts them.
 * - `check_ins_stopped`: a mentee of an active room whose last check-in (or, without one, their
 *   joining the room) is at least {@link CHECK_IN_GAP_DAYS} days old. `days` counts them.
 * - `confidence_falling`: a mentee whose confidence fell across their last check-ins: the last
 *   three strictly falling (4, 3, 2), or the last one at least {@link CONFIDENCE_DROP} points below
 *   the one before (5, 3). `confidences` lists the check-ins' values, oldest first.
 *
 * Archived rooms have no findings: nothing is expected of them.
 * @module
 */
import * as z from 'zod/mini';
import { Timestamp } from './common.js';
import { MilestoneId, RoomId } from './ids.js';
import { defineOperation } from './operation.js';
import { PersonId } from './people.js';
import { RoomParams } from './rooms.js';

/** Days a milestone may stay `blocked` before it needs attention. */
export const BLOCKED_DAYS = 7;
/** Days without a check-in before a mentee's check-ins count as stopped. */
export const CHECK_IN_GAP_DAYS = 14;
/** A fall of this many points between two consecutive check-ins needs attention on its own. */
export const CONFIDENCE_DROP = 2;

/** Stable codes of the rules; a new rule gets a new code, a code never changes meaning. */
export const ATTENTION_CODES = ['milestone_overdue', 'milestone_blocked', 'check_ins_stopped', 'confidence_falling'] as const;
export const AttentionCode = z.enum(ATTENTION_CODES);
export type AttentionCode = z.infer<typeof AttentionCode>;

/**
 * The adjustments of a roadmap the practice offers, each done with a reason kept in the revision
 * history: `move` a milestone's due date (`updateMilestone` with `dueDate`), `rescope` it (its
 * title, description, outcome or skills: `updateMilestone`), `drop` it (`removeMilestone`).
 */
export const ADJUSTMENTS = ['move', 'rescope', 'drop'] as const;
export const Adjustment = z.enum(ADJUSTMENTS);
export type Adjustment = z.infer<typeof Adjustment>;

/** One thing that needs attention. */
export const AttentionFinding = z.object({
  code: AttentionCode,
  roomId: RoomId,
  /** The milestone concerned (milestone rules), or `null`. */
  milestoneId: z.nullable(MilestoneId),
  /** The mentee concerned (check-in rules), or `null`. */
  personId: z.nullable(PersonId),
  /**
   * Why, in plain English, naming the milestone or the person but quoting no private text (no
   * check-in, post or note content), so program admins can read it too. Elements that translate
   * build their own sentence from `code`, `days` and `confidences`.
   */
  reason: z.string(),
  /** When the condition began: the day after the due date, the blocking, the last check-in. */
  since: Timestamp,
  /** Whole days the condition has lasted; `null` for `confidence_falling`. */
  days: z.nullable(z.int()),
  /** `confidence_falling` only: the confidences that fell, oldest first; empty otherwise. */
  confidences: z.array(z.int()),
  /**
   * The adjustments offered. On a milestone finding they apply to that milestone; on a room
   * finding (check-ins, confidence) to the roadmap's open milestones, which the person picks.
   */
  adjustments: z.array(Adjustment),
});
export type AttentionFinding = z.infer<typeof AttentionFinding>;

/** A room's findings at one moment. */
export const RoomAttention = z.object({
  roomId: RoomId,
  /** The moment the rules were evaluated at. */
  evaluatedAt: Timestamp,
  /** Milestone findings by due date, then room findings. */
  findings: z.array(AttentionFinding),
});
export type RoomAttention = z.infer<typeof RoomAttention>;

export const getRoomAttention = defineOperation({
  id: 'getRoomAttention', method: 'GET', path: '/v1/rooms/{roomId}/attention', tag: 'Rooms',
  summary: "What in the room needs attention, why, and the adjustments offered (every member, and admins: reasons quote no private text). Fetch again on the room's roadmap.updated and checkin.created events.",
  description: "The adjust loop's signals for one room (milestone overdue or blocked, check-ins stopped, confidence falling), each with a stable code, a reason and the adjustments offered: move, re-scope or drop.",
  scopes: ['rooms:read'], params: RoomParams, response: RoomAttention,
});
