/**
 * Program health for the people who run a program: one summary per cohort or for the whole
 * organization (rooms active, stalled and finished; the milestone funnel; check-in cadence and the
 * confidence trend; feedback ratings in both directions; mentor load; at-risk rooms with the adjust
 * loop's reasons), and a streamed export of rooms and people. Numbers and reasons only: nothing
 * here quotes a message, a note, a check-in's text or a feedback comment.
 * @module
 */
import * as z from 'zod/mini';
import { Timestamp } from './common.js';
import { AttentionFinding } from './attention.js';
import { RoomId } from './ids.js';
import { defineOperation } from './operation.js';
import { PersonId } from './people.js';
import { CohortId } from './ids.js';

/**
 * An active room with no activity (any event: message, check-in, roadmap change…) for this many
 * days is stalled. The same threshold as the adjust loop's `check_ins_stopped`.
 */
export const STALLED_DAYS = 14;

/** Weeks of the confidence trend. */
export const TREND_WEEKS = 8;

/** At-risk rooms listed in a summary at most (the export has them all). */
export const MAX_AT_RISK = 100;

/** Where a summary looks: one cohort, or the whole organization. */
export const HealthQuery = z.strictObject({
  /** One cohort's rooms and people; the whole organization when absent. */
  cohortId: z.optional(CohortId),
});

const count = z.int().check(z.minimum(0));
/** An average rounded to two decimals, `null` when there is nothing to average. */
const average = z.nullable(z.number());

/** Ratings given in one direction. */
export const RatingSummary = z.object({ count, average });
export type RatingSummary = z.infer<typeof RatingSummary>;

/** One week of the confidence trend (weeks start on Monday, UTC). */
export const ConfidenceWeek = z.object({
  /** The Monday, `YYYY-MM-DD`. */
  week: z.string(),
  checkIns: count,
  average,
});
export type ConfidenceWeek = z.infer<typeof ConfidenceWeek>;

/** How many mentees a mentor has in the rooms counted. */
export const MentorLoad = z.object({
  personId: PersonId,
  displayName: z.string(),
  /** Distinct mentees across the mentor's active rooms. */
  mentees: count,
  /** Active rooms where they are a mentor. */
  rooms: count,
});
export type MentorLoad = z.infer<typeof MentorLoad>;

/** A room that needs help, with the adjust loop's reasons (the rules of `GET /v1/rooms/{roomId}/attention`). */
export const AtRiskRoom = z.object({
  roomId: RoomId,
  title: z.string(),
  findings: z.array(AttentionFinding),
});
export type AtRiskRoom = z.infer<typeof AtRiskRoom>;

/** A program's health at one moment. */
export const ProgramHealthSummary = z.object({
  /** The cohort summarized, or `null` for the whole organization. */
  cohortId: z.nullable(CohortId),
  evaluatedAt: Timestamp,
  rooms: z.object({
    total: count,
    /** Active rooms with activity in the last {@link STALLED_DAYS} days. */
    active: count,
    /** Active rooms without activity for {@link STALLED_DAYS} days or more. */
    stalled: count,
    /** Archived rooms. */
    finished: count,
  }),
  /** Milestones of the rooms' roadmaps by status; `overdue` counts those not done past their due date. */
  milestones: z.object({ planned: count, in_progress: count, done: count, blocked: count, overdue: count }),
  checkIns: z.object({
    /** Check-ins in the last 28 days. */
    last28Days: count,
    /** Mentees of active rooms. */
    mentees: count,
    /** Check-ins per mentee per week over the last 28 days (two decimals), `null` without mentees. */
    perMenteePerWeek: average,
    /** Weekly average confidence, oldest first, the last {@link TREND_WEEKS} weeks (this one included). */
    confidence: z.array(ConfidenceWeek),
  }),
  /** Ratings (1–5) only; comments are never part of program health. */
  feedback: z.object({ mentee_to_mentor: RatingSummary, mentor_to_mentee: RatingSummary }),
  /** Mentors by load, heaviest first. */
  mentorLoad: z.array(MentorLoad),
  /** Rooms with at least one finding. */
  atRiskCount: count,
  /** The first {@link MAX_AT_RISK} at-risk rooms, most findings first. */
  atRisk: z.array(AtRiskRoom),
});
export type ProgramHealthSummary = z.infer<typeof ProgramHealthSummary>;

/** What to export and how. */
export const ExportQuery = z.strictObject({
  /** `rooms` (one row per room with its health) or `people` (one row per person with their enrolments). */
  kind: z.enum(['rooms', 'people']),
  /** `csv` (RFC 4180, a header row) or `json` (one array). */
  format: z.optional(z.enum(['csv', 'json'])),
  cohortId: z.optional(CohortId),
});
export type ExportQuery = z.infer<typeof ExportQuery>;

/** Columns of the rooms export, in order. */
export const ROOM_EXPORT_COLUMNS = [
  'roomId', 'title', 'status', 'cohortIds', 'mentorIds', 'menteeIds', 'milestonesPlanned', 'milestonesInProgress', 'milestonesDone',
  'milestonesBlocked', 'milestonesOverdue', 'lastActivityAt', 'averageConfidence', 'averageRating', 'findings',
] as const;

/** Columns of the people export, in order. */
export const PEOPLE_EXPORT_COLUMNS = ['personId', 'externalId', 'displayName', 'email', 'roles', 'active', 'enrolments'] as const;

const tag = 'Feedback';

export const getProgramHealthSummary = defineOperation({
  id: 'getProgramHealthSummary', method: 'GET', path: '/v1/program/health/summary', tag,
  summary: 'Program health in one answer, for a cohort or the whole organization (admins and API keys with org:admin).',
  description: 'Rooms active, stalled and finished; the milestone funnel; check-in cadence and confidence by week; ratings in both directions; mentor load; and the at-risk rooms with the adjust loop\'s reasons. Numbers and reasons only, never the text of rooms, check-ins or feedback.',
  scopes: ['org:admin'], query: HealthQuery, response: ProgramHealthSummary,
});

export const exportProgram = defineOperation({
  id: 'exportProgram', method: 'GET', path: '/v1/program/export', tag,
  summary: 'Rooms with their health, or people with their enrolments, as CSV or JSON, streamed (admins and API keys with org:admin).',
  description: 'The answer is written row by row from a paginated query, so an organization of any size exports in constant memory. No private content: no messages, notes, check-in text or feedback comments.',
  scopes: ['org:admin'], query: ExportQuery, produces: ['text/csv', 'application/json'],
});
