/**
 * The mentor's overview: every room where the caller is a mentor, with what needs a response.
 * @module
 */
import * as z from 'zod/mini';
import { Timestamp } from './common.js';
import { AttentionFinding } from './attention.js';
import { CheckIn } from './feedback.js';
import { PostId, ThreadId, RoomId, NoteId } from './ids.js';
import { defineOperation } from './operation.js';
import { Person } from './people.js';
import { ActionItem, RoomStatus } from './rooms.js';

/** Most unanswered posts listed per room (the newest); `unansweredCount` has them all. */
export const MAX_UNANSWERED_LISTED = 10;

/** A mentee's post in one of the room's threads that no mentor of the room has commented on. */
export const UnansweredPost = z.object({
  postId: PostId,
  threadId: ThreadId,
  threadTitle: z.string(),
  author: Person,
  /** The post's first 200 characters, markdown-lite as written. */
  excerpt: z.string(),
  /** Whether the post asks something (its text contains a question mark). */
  question: z.boolean(),
  commentCount: z.int(),
  createdAt: Timestamp,
});
export type UnansweredPost = z.infer<typeof UnansweredPost>;

/** An action item not done whose due date is before today, with the note it belongs to. */
export const OverdueActionItem = z.object({
  noteId: NoteId,
  sessionDate: z.iso.date(),
  item: ActionItem,
  /** Whole days since the due date (1 the day after). */
  daysOverdue: z.int(),
});
export type OverdueActionItem = z.infer<typeof OverdueActionItem>;

/** One room of the mentor's overview. */
export const MentoredRoom = z.object({
  roomId: RoomId,
  title: z.string(),
  status: RoomStatus,
  mentees: z.array(Person),
  /** The room's findings (the same rules as `getRoomAttention`). */
  attention: z.array(AttentionFinding),
  /** The newest unanswered posts, at most {@link MAX_UNANSWERED_LISTED}, newest first. */
  unanswered: z.array(UnansweredPost),
  unansweredCount: z.int(),
  /** The room's most recent check-in by anyone, or `null`. */
  lastCheckIn: z.nullable(CheckIn),
  /** Oldest due date first. */
  overdueActionItems: z.array(OverdueActionItem),
});
export type MentoredRoom = z.infer<typeof MentoredRoom>;

/** The overview: rooms needing the most attention first (findings + unanswered + overdue items). */
export const MentoringOverview = z.object({
  evaluatedAt: Timestamp,
  rooms: z.array(MentoredRoom),
});
export type MentoringOverview = z.infer<typeof MentoringOverview>;

export const getMentoringOverview = defineOperation({
  id: 'getMentoringOverview', method: 'GET', path: '/v1/me/mentoring', tag: 'Rooms',
  summary: "The caller's active rooms as a mentor: attention, unanswered posts, last check-in, overdue action items (a person's token, or a key with Menteo-Act-As).",
  description: "For a mentor's dashboard: each active room the caller mentors, with what needs attention, unanswered posts, the last check-in and overdue action items.",
  scopes: ['rooms:read'], response: MentoringOverview,
});
