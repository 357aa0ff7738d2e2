/**
 * Feedback and reciprocity: check-ins, ratings of how well guidance works (both ways), the
 * mentor's learning log, and program health for admins.
 * @module
 */
import * as z from 'zod/mini';
import { Skills, Timestamp, longText, page, pageQuery, text } from './common.js';
import { CheckInId, FeedbackId, LearningId, NoteId, RoadmapId, RoomId } from './ids.js';
import { defineOperation } from './operation.js';
import { Person, PersonId } from './people.js';
import { RoomParams } from './rooms.js';

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
});
export type CreateFeedback = z.infer<typeof CreateFeedback>;

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
});
export type RoomHealth = z.infer<typeof RoomHealth>;

const tag = 'Feedback';

export const listCheckIns = defineOperation({
  id: 'listCheckIns', method: 'GET', path: '/v1/rooms/{roomId}/check-ins', tag,
  summary: "The room's check-ins, newest first.", scopes: ['rooms:read'],
  params: RoomParams, query: pageQuery({}), response: page(CheckIn),
});
export const createCheckIn = defineOperation({
  id: 'createCheckIn', method: 'POST', path: '/v1/rooms/{roomId}/check-ins', tag,
  summary: 'Check in: progress, blockers, confidence.', scopes: ['checkins:write'],
  params: RoomParams, body: CreateCheckIn, response: CheckIn,
});
export const listFeedback = defineOperation({
  id: 'listFeedback', method: 'GET', path: '/v1/rooms/{roomId}/feedback', tag,
  summary: "Feedback given in the room, newest first.", scopes: ['rooms:read'],
  params: RoomParams, query: pageQuery({}), response: page(Feedback),
});
export const createFeedback = defineOperation({
  id: 'createFeedback', method: 'POST', path: '/v1/rooms/{roomId}/feedback', tag,
  summary: 'Rate how well guidance works (mentees and mentors).', scopes: ['feedback:write'],
  params: RoomParams, body: CreateFeedback, response: Feedback,
});
export const listLearnings = defineOperation({
  id: 'listLearnings', method: 'GET', path: '/v1/rooms/{roomId}/learnings', tag,
  summary: "The mentors' learning log of the room, newest first.", scopes: ['rooms:read'],
  params: RoomParams, query: pageQuery({}), response: page(Learning),
});
export const createLearning = defineOperation({
  id: 'createLearning', method: 'POST', path: '/v1/rooms/{roomId}/learnings', tag,
  summary: 'Log what you learned as a mentor.', scopes: ['learnings:write'],
  params: RoomParams, body: CreateLearning, response: Learning,
});
export const getProgramHealth = defineOperation({
  id: 'getProgramHealth', method: 'GET', path: '/v1/program/health', tag,
  summary: 'Health of every room (admins and API keys with org:admin).', scopes: ['org:admin'],
  query: pageQuery({}), response: page(RoomHealth),
});
