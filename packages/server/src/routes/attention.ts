/**
 * The adjust loop's findings per room (`getRoomAttention`), and the mentor's overview of their
 * rooms (`getMentoringOverview`), both from the rules of `health/`.
 * @module
 */
import { getRoomAttention } from '@menteo/api/attention';
import { getMentoringOverview, MAX_UNANSWERED_LISTED, type MentoredRoom, type OverdueActionItem, type UnansweredPost } from '@menteo/api/mentoring';
import type { RoomStatus } from '@menteo/api/rooms';
import { sql } from 'kysely';
import { readableRoom } from '../auth/access.js';
import { authorOf } from '../auth/principal.js';
import { handle } from '../handler.js';
import { attentionOf } from '../health/attention.js';
import type { CheckInsTable } from '../storage/schema.js';
import { checkInViews } from '../views/feedback.js';
import { loadPeople, must, type Db } from '../views/people.js';

const EXCERPT = 200;

interface UnansweredRow {
  room_id: string;
  id: string;
  thread_id: string;
  thread_title: string;
  author_id: string;
  body: string;
  comment_count: number;
  created_at: string;
  total: number;
}

/**
 * Mentees' posts in the rooms' threads that no mentor of the room commented on, at most
 * {@link MAX_UNANSWERED_LISTED} per room (newest first) with each room's total, in one query.
 * A `room` post counts only in its own room, the one whose members can read it.
 */
async function unansweredPosts(db: Db, roomIds: readonly string[]): Promise<UnansweredRow[]> {
  const rows = await sql<UnansweredRow>`
    select * from (
      select t.room_id as room_id, p.id as id, p.thread_id as thread_id, t.title as thread_title, p.author_id as author_id,
        p.body as body, p.comment_count as comment_count, p.created_at as created_at,
        row_number() over (partition by t.room_id order by p.id desc) as rn,
        count(*) over (partition by t.room_id) as total
      from posts p
      join threads t on t.id = p.thread_id
      join room_members author on author.room_id = t.room_id and author.person_id = p.author_id and author.role = 'mentee'
      where t.room_id in (${sql.join([...roomIds])})
        and (p.audience <> 'room' or p.room_id = t.room_id)
        and not exists (
          select 1 from comments c
          join room_members m on m.room_id = t.room_id and m.person_id = c.author_id and m.role = 'mentor'
          where c.post_id = p.id
        )
    ) ranked where rn <= ${MAX_UNANSWERED_LISTED}
    order by room_id, id desc`.execute(db);
  return rows.rows;
}

/** The latest check-in of each room, in one query. */
async function lastCheckIns(db: Db, roomIds: readonly string[]): Promise<CheckInsTable[]> {
  const rows = await sql<CheckInsTable>`
    select id, org_id, room_id, author_id, progress, blockers, confidence, created_at from (
      select c.*, row_number() over (partition by room_id order by id desc) as rn from check_ins c
      where room_id in (${sql.join([...roomIds])})
    ) latest where rn = 1`.execute(db);
  return rows.rows;
}

function calendarDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / 86_400_000);
}

/** Attention and mentoring handlers. */
export const attentionHandlers = [
  handle(getRoomAttention, async ({ params, ctx }) => {
    // Authorized like the room: members (observers too) and admins; the reasons quote no private text.
    const { room } = await readableRoom(ctx, params.roomId);
    const findings = (await attentionOf(ctx.db, [room], ctx.now)).get(room.id) ?? [];
    return { roomId: room.id, evaluatedAt: ctx.now, findings };
  }),

  handle(getMentoringOverview, async ({ ctx }) => {
    const me = authorOf(ctx.principal);
    const p = ctx.principal;
    let q = ctx.db.selectFrom('rooms').innerJoin('room_members', 'room_members.room_id', 'rooms.id')
      .select(['rooms.id as id', 'rooms.title as title', 'rooms.status as status'])
      .where('rooms.org_id', '=', p.orgId).where('rooms.status', '=', 'active')
      .where('room_members.person_id', '=', me.id).where('room_members.role', '=', 'mentor');
    if (p.roomIds !== null) q = q.where('rooms.id', 'in', p.roomIds.length > 0 ? [...p.roomIds] : ['']);
    const rooms = await q.orderBy('rooms.id').execute();
    if (rooms.length === 0) return { evaluatedAt: ctx.now, rooms: [] };
    const ids = rooms.map((r) => r.id);
    const today = ctx.now.slice(0, 10);
    // A fixed number of queries whatever the number of rooms: members, rules, posts, check-ins, items.
    const mentees = await ctx.db.selectFrom('room_members').select(['room_id', 'person_id']).where('room_id', 'in', ids).where('role', '=', 'mentee')
      .orderBy('joined_at').orderBy('person_id').execute();
    const attention = await attentionOf(ctx.db, rooms, ctx.now);
    const unanswered = await unansweredPosts(ctx.db, ids);
    const checkIns = await checkInViews(ctx.db, await lastCheckIns(ctx.db, ids));
    const items = await ctx.db.selectFrom('action_items').innerJoin('notes', 'notes.id', 'action_items.note_id')
      .select(['notes.room_id as room_id', 'notes.id as note_id', 'notes.session_date as session_date', 'action_items.id as id', 'action_items.text as text',
        'action_items.owner_id as owner_id', 'action_items.due_date as due_date', 'action_items.done as done', 'action_items.done_at as done_at'])
      .where('notes.room_id', 'in', ids).where('action_items.done', '=', 0).where('action_items.due_date', '<', today)
      .orderBy('action_items.due_date').orderBy('action_items.id').execute();
    const people = await loadPeople(ctx.db, [...mentees.map((m) => m.person_id), ...unanswered.map((u) => u.author_id)]);
    const views: MentoredRoom[] = rooms.map((room) => {
      const posts = unanswered.filter((u) => u.room_id === room.id);
      return {
        roomId: room.id,
        title: room.title,
        status: room.status as RoomStatus,
        mentees: mentees.filter((m) => m.room_id === room.id).map((m) => must(people, m.person_id)),
        attention: attention.get(room.id) ?? [],
        unanswered: posts.map((u): UnansweredPost => ({
          postId: u.id, threadId: u.thread_id, threadTitle: u.thread_title, author: must(people, u.author_id),
          excerpt: u.body.length > EXCERPT ? `${u.body.slice(0, EXCERPT - 1)}…` : u.body,
          question: u.body.includes('?'), commentCount: Number(u.comment_count), createdAt: u.created_at,
        })),
        unansweredCount: Number(posts[0]?.total ?? 0),
        lastCheckIn: checkIns.find((c) => c.roomId === room.id) ?? null,
        overdueActionItems: items.filter((i) => i.room_id === room.id && i.due_date !== null).map((i): OverdueActionItem => ({
          noteId: i.note_id, sessionDate: i.session_date,
          item: { id: i.id, text: i.text, ownerId: i.owner_id, dueDate: i.due_date, done: false, doneAt: i.done_at },
          daysOverdue: calendarDays(i.due_date ?? today, today),
        })),
      };
    });
    // The rooms that need the mentor most come first.
    const weight = (r: MentoredRoom) => r.attention.length + r.unansweredCount + r.overdueActionItems.length;
    views.sort((a, b) => weight(b) - weight(a) || a.title.localeCompare(b.title) || a.roomId.localeCompare(b.roomId));
    return { evaluatedAt: ctx.now, rooms: views };
  }),
];
