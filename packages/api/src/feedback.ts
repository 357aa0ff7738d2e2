/**
 * Feedback and reciprocity: check-ins, ratings of how well guidance works (both ways), the
 * mentor's learning log, and program health for admins.
 * @module
 */
import * as z from 'zod/mini';
import { Skills, Timestamp, longText, page, pageQuery, text } from './common.js';
import { CheckInId, FeedbackId, FeedbackRequestId, LearningId, NoteId, RoadmapId, RoomId } from './ids.js';
import { defineOperation } from './operation.js';
import { Person, PersonId } from './people.js';
import { RoomParams } from './rooms.js';
import { AttentionFinding } from './attention.js';
import { CohortId } from './ids.js';

/** 1 (low) to 5 (high). */
export const Rating = z.int().check(z.minimum(1), z.maximum(5));

export const CheckIn = z.object({
  id: CheckInId,
  roomId: RoomId,
  author: Person,
  progress: z.string(),
  blockers: z.string(),
  /** How confident the person feels about their roadmap, 1–5. */
  confidence: z.int(),
  createdAt: Timestamp,
});
export type CheckIn = z.infer<typeof CheckIn>;

export const CreateCheckIn = z.strictObject({
  progress: text(4000),
  blockers: z.optional(longText(4000)),
  confidence: Rating,
});
export type CreateCheckIn = z.infer<typeof CreateCheckIn>;

/** What feedback is about. */
export const FEEDBACK_SUBJECTS = ['session', 'roadmap', 'room'] as const;
export const FeedbackSubject = z.enum(FEEDBACK_SUBJECTS);
export type FeedbackSubject = z.infer<typeof FeedbackSubject>;

/** Mentees rate guidance and mentors rate how it landed: mentorship is reciprocal. */
export const FEEDBACK_DIRECTIONS = ['mentee_to_mentor', 'mentor_to_mentee'] as const;
export const FeedbackDirection = z.enum(FEEDBACK_DIRECTIONS);
export type FeedbackDirection = z.infer<typeof FeedbackDirection>;

export const Feedback = z.object({
  id: FeedbackId,
  roomId: RoomId,
  author: Person,
  /** Derived from the author's role in the room. */
  direction: FeedbackDirection,
  subject: FeedbackSubject,
  /** The session note or roadmap rated; `null` for the room as a whole. */
  subjectId: z.nullable(z.string()),
  rating: z.int(),
  comment: z.string(),
  createdAt: Timestamp,
});
export type Feedback = z.infer<typeof Feedback>;

export const CreateFeedback = z.strictObject({
  subject: FeedbackSubject,
  /** Required for `session` (a note id) and `roadmap` (a roadmap id). */
  subjectId: z.optional(z.union([NoteId, RoadmapId])),
  rating: Rating,
  comment: z.optional(longText(4000)),
  /** The request this feedback answers; it becomes answered. Must ask the author, in this room. */
  requestId: z.optional(FeedbackRequestId),
});
export type CreateFeedback = z.infer<typeof CreateFeedback>;

/**
 * Asking for feedback: a mentor asks a mentee how the guidance lands, or a mentee asks the
 * mentor about their roadmap. Answered by a `createFeedback` naming the request.
 */
export const FeedbackRequest = z.object({
  id: FeedbackRequestId,
  roomId: RoomId,
  requester: Person,
  /** The member asked. */
  recipient: Person,
  subject: FeedbackSubject,
  subjectId: z.nullable(z.string()),
  /** What the requester would like to hear about; may be empty. */
  message: z.string(),
  /** The feedback that answered it, or `null` while open. */
  answeredBy: z.nullable(FeedbackId),
  answeredAt: z.nullable(Timestamp),
  createdAt: Timestamp,
});
export type FeedbackRequest = z.infer<typeof FeedbackRequest>;

export const CreateFeedbackRequest = z.strictObject({
  /** A mentor or mentee of the room other than the requester. */
  recipientId: PersonId,
  subject: FeedbackSubject,
  /** Required for `session` (a note id) and `roadmap` (a roadmap id). */
  subjectId: z.optional(z.union([NoteId, RoadmapId])),
  message: z.optional(longText(1000)),
});
export type CreateFeedbackRequest = z.infer<typeof CreateFeedbackRequest>;

/** Something a mentor learned from mentoring. */
export const Learning = z.object({
  id: LearningId,
  roomId: RoomId,
  author: Person,
  body: z.string(),
  skills: z.array(z.string()),
  createdAt: Timestamp,
});
export type Learning = z.infer<typeof Learning>;

export const CreateLearning = z.strictObject({ body: text(4000), skills: z.optional(Skills) });
export type CreateLearning = z.infer<typeof CreateLearning>;

/** One room's health, for program admins. */
export const RoomHealth = z.object({
  roomId: RoomId,
  title: z.string(),
  status: z.string(),
  mentorIds: z.array(PersonId),
  menteeIds: z.array(PersonId),
  milestones: z.object({ planned: z.int(), in_progress: z.int(), done: z.int(), blocked: z.int(), overdue: z.int() }),
  lastActivityAt: z.nullable(Timestamp),
  averageConfidence: z.nullable(z.number()),
  averageRating: z.nullable(z.number()),
  /** The adjust loop's findings for the room (reasons only, as `GET /v1/rooms/{roomId}/attention`). */
  findings: z.array(AttentionFinding),
});
export type RoomHealth = z.infer<typeof RoomHealth>;

/** One check-in as a point of the trend chart. */
export const TrendPoint = z.object({
  checkInId: CheckInId,
  at: Timestamp,
  confidence: z.int(),
  /** Milestones of the person's roadmap in the room done at that moment (by `completedAt`). */
  milestonesDone: z.int(),
  /** Milestones of that roadmap today (removed ones are not counted). */
  milestonesTotal: z.int(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

/** One person's check-ins over time, oldest first. */
export const CheckInTrend = z.object({
  person: Person,
  /** At most the last {@link MAX_TREND_POINTS}, oldest first. */
  points: z.array(TrendPoint),
  /** Last confidence against the one before: `up`, `down`, `flat`, or `null` with fewer than two. */
  direction: z.nullable(z.enum(['up', 'down', 'flat'])),
});
export type CheckInTrend = z.infer<typeof CheckInTrend>;

/** Most trend points per person. */
export const MAX_TREND_POINTS = 52;

export const CheckInTrends = z.object({
  roomId: RoomId,
  /** Every member who checked in, mentees first, then by name. */
  people: z.array(CheckInTrend),
});
export type CheckInTrends = z.infer<typeof CheckInTrends>;

export const ListCheckInsQuery = pageQuery({ authorId: z.optional(PersonId) });
export const ListFeedbackQuery = pageQuery({
  direction: z.optional(FeedbackDirection),
  /** Feedback given by this person. */
  authorId: z.optional(PersonId),
});
export const ListLearningsQuery = pageQuery({ authorId: z.optional(PersonId) });
export const ListFeedbackRequestsQuery = pageQuery({
  /** `open` (unanswered) or `answered`; both by default. */
  state: z.optional(z.enum(['open', 'answered'])),
  recipientId: z.optional(PersonId),
});

const tag = 'Feedback';

export const listCheckIns = defineOperation({
  id: 'listCheckIns', method: 'GET', path: '/v1/rooms/{roomId}/check-ins', tag,
  summary: "The room's check-ins, newest first; filter by author.", scopes: ['rooms:read'],
  description: "Check-ins of the room's members (progress, blockers, confidence), newest first. Paged with `cursor` and `limit`.",
  params: RoomParams, query: ListCheckInsQuery, response: page(CheckIn),
});
export const getCheckInTrends = defineOperation({
  id: 'getCheckInTrends', method: 'GET', path: '/v1/rooms/{roomId}/check-ins/trends', tag,
  summary: 'Confidence and milestones done over time, per person who checked in (for a chart).', scopes: ['rooms:read'],
  description: 'For each member who checked in, their confidence and milestones done at each check-in (at most 52 points) and whether confidence went up or down last time.',
  params: RoomParams, response: CheckInTrends,
});
export const createCheckIn = defineOperation({
  id: 'createCheckIn', method: 'POST', path: '/v1/rooms/{roomId}/check-ins', tag,
  summary: 'Check in: progress, blockers, confidence.', scopes: ['checkins:write'],
  description: "Records the caller's progress, blockers and confidence (1 to 5). Members receive a `checkin.created` live event, and the room's attention signals may change.",
  params: RoomParams, body: CreateCheckIn, response: CheckIn,
});
export const listFeedback = defineOperation({
  id: 'listFeedback', method: 'GET', path: '/v1/rooms/{roomId}/feedback', tag,
  summary: "Feedback given in the room, newest first; filter by direction or author.", scopes: ['rooms:read'],
  description: 'Ratings and comments given in the room, newest first. Filter by direction (mentee to mentor, mentor to mentee) or author; paged with `cursor` and `limit`.',
  params: RoomParams, query: ListFeedbackQuery, response: page(Feedback),
});
export const createFeedback = defineOperation({
  id: 'createFeedback', method: 'POST', path: '/v1/rooms/{roomId}/feedback', tag,
  summary: 'Rate how well guidance works (mentees and mentors).', scopes: ['feedback:write'],
  description: "Rates a session, the roadmap or the room, 1 to 5, with an optional comment. The direction follows the author's role; naming a `requestId` answers that request.",
  params: RoomParams, body: CreateFeedback, response: Feedback,
});
export const listFeedbackRequests = defineOperation({
  id: 'listFeedbackRequests', method: 'GET', path: '/v1/rooms/{roomId}/feedback-requests', tag,
  summary: 'Requests for feedback in the room, newest first; filter open ones or by recipient.', scopes: ['rooms:read'],
  description: 'Requests for feedback made in the room, newest first. Filter to open ones or by the member asked; paged with `cursor` and `limit`.',
  params: RoomParams, query: ListFeedbackRequestsQuery, response: page(FeedbackRequest),
});
export const createFeedbackRequest = defineOperation({
  id: 'createFeedbackRequest', method: 'POST', path: '/v1/rooms/{roomId}/feedback-requests', tag,
  summary: 'Ask another mentor or mentee of the room for feedback.', scopes: ['feedback:write'],
  description: 'Asks another mentor or mentee of the room for feedback on a session, the roadmap or the room. The member asked receives a `feedback.requested` live event and answers with `createFeedback`.',
  params: RoomParams, body: CreateFeedbackRequest, response: FeedbackRequest,
});
export const listLearnings = defineOperation({
  id: 'listLearnings', method: 'GET', path: '/v1/rooms/{roomId}/learnings', tag,
  summary: "The mentors' learning log of the room, newest first; filter by author.", scopes: ['rooms:read'],
  description: "What the room's mentors learned from mentoring, newest first. Filter by author; paged with `cursor` and `limit`.",
  params: RoomParams, query: ListLearningsQuery, response: page(Learning),
});
export const createLearning = defineOperation({
  id: 'createLearning', method: 'POST', path: '/v1/rooms/{roomId}/learnings', tag,
  summary: 'Log what you learned as a mentor.', scopes: ['learnings:write'],
  description: 'Mentors record what they learned from mentoring, with the skills it concerns. Members receive a `learning.created` live event.',
  params: RoomParams, body: CreateLearning, response: Learning,
});
export const getProgramHealth = defineOperation({
  id: 'getProgramHealth', method: 'GET', path: '/v1/program/health', tag,
  summary: 'Health of every room, or of one cohort\'s rooms (admins and API keys with org:admin).', scopes: ['org:admin'],
  description: "For program admins: each room's milestones by status, last activity, average confidence and average rating, to see which rooms need help. Filter to one cohort's rooms; paged with `cursor` and `limit`.",
  query: pageQuery({ cohortId: z.optional(CohortId) }), response: page(RoomHealth),
});
