/**
 * Rows to contract objects: check-ins, feedback and learnings.
 * @module
 */
import type { CheckIn, Feedback, FeedbackRequest, Learning } from '@menteo/api/feedback';
import { strings } from '../storage/json.js';
import type { CheckInsTable, FeedbackRequestsTable, FeedbackTable, LearningsTable } from '../storage/schema.js';
import { loadPeople, must, type Db } from './people.js';

/** Check-ins with their authors. */
export async function checkInViews(db: Db, rows: readonly CheckInsTable[]): Promise<CheckIn[]> {
  const people = await loadPeople(db, rows.map((r) => r.author_id));
  return rows.map((r) => ({ id: r.id, roomId: r.room_id, author: must(people, r.author_id), progress: r.progress, blockers: r.blockers, confidence: r.confidence, createdAt: r.created_at }));
}

/** Feedback with its authors. */
export async function feedbackViews(db: Db, rows: readonly FeedbackTable[]): Promise<Feedback[]> {
  const people = await loadPeople(db, rows.map((r) => r.author_id));
  return rows.map((r) => ({
    id: r.id, roomId: r.room_id, author: must(people, r.author_id), direction: r.direction as Feedback['direction'],
    subject: r.subject as Feedback['subject'], subjectId: r.subject_id, rating: r.rating, comment: r.comment, createdAt: r.created_at,
  }));
}

/** Requests for feedback with the people asking and asked. */
export async function feedbackRequestViews(db: Db, rows: readonly FeedbackRequestsTable[]): Promise<FeedbackRequest[]> {
  const people = await loadPeople(db, rows.flatMap((r) => [r.requester_id, r.recipient_id]));
  return rows.map((r) => ({
    id: r.id, roomId: r.room_id, requester: must(people, r.requester_id), recipient: must(people, r.recipient_id),
    subject: r.subject as FeedbackRequest['subject'], subjectId: r.subject_id, message: r.message,
    answeredBy: r.answered_by, answeredAt: r.answered_at, createdAt: r.created_at,
  }));
}

/** Learnings with their authors. */
export async function learningViews(db: Db, rows: readonly LearningsTable[]): Promise<Learning[]> {
  const people = await loadPeople(db, rows.map((r) => r.author_id));
  return rows.map((r) => ({ id: r.id, roomId: r.room_id, author: must(people, r.author_id), body: r.body, skills: strings(r.skills), createdAt: r.created_at }));
}
