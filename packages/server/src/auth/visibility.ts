/**
 * Visibility as SQL conditions, for lists: the same rules as `canReadPost` and `readableRoom`,
 * expressed so a page is one indexed query instead of a filter after the fact.
 * @module
 */
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Context } from '../context.js';
import type { Database } from '../storage/schema.js';
import { readsEveryRoomContent } from './principal.js';

type PostsEb = ExpressionBuilder<Database, 'posts'>;
type ThreadsEb = ExpressionBuilder<Database, 'threads'>;

function memberRooms(eb: PostsEb | ThreadsEb, personId: string) {
  // Both builders share selectFrom; the union is only there for the caller's convenience.
  return (eb as ExpressionBuilder<Database, never>).selectFrom('room_members').select('room_members.room_id').where('room_members.person_id', '=', personId);
}

/** A condition on `posts` that keeps the posts the caller can read, or undefined when they read all. */
export function visiblePosts(ctx: Context): ((eb: PostsEb) => Expression<SqlBool>) | undefined {
  const p = ctx.principal;
  // Room-audience posts and room threads are what people wrote: admins follow the members' rule.
  const orgWide = readsEveryRoomContent(p);
  if (orgWide && p.roomIds === null) return undefined;
  const me = p.person?.id ?? '';
  const limited = p.roomIds === null ? null : p.roomIds.length > 0 ? [...p.roomIds] : [''];
  return (eb) => {
    const ors: Expression<SqlBool>[] = [eb('posts.audience', '!=', 'room')];
    if (orgWide && limited) ors.push(eb('posts.room_id', 'in', limited));
    else if (limited) ors.push(eb.and([eb('posts.room_id', 'in', limited), eb('posts.room_id', 'in', memberRooms(eb, me))]));
    else ors.push(eb('posts.room_id', 'in', memberRooms(eb, me)), eb('posts.author_id', '=', me));
    return eb.or(ors);
  };
}

/** A condition on `threads` that keeps the threads the caller can see, or undefined when they see all. */
export function visibleThreads(ctx: Context): ((eb: ThreadsEb) => Expression<SqlBool>) | undefined {
  const p = ctx.principal;
  // Room-audience posts and room threads are what people wrote: admins follow the members' rule.
  const orgWide = readsEveryRoomContent(p);
  if (orgWide && p.roomIds === null) return undefined;
  const me = p.person?.id ?? '';
  const limited = p.roomIds === null ? null : p.roomIds.length > 0 ? [...p.roomIds] : [''];
  return (eb) => {
    const ors: Expression<SqlBool>[] = [eb('threads.room_id', 'is', null)];
    if (orgWide && limited) ors.push(eb('threads.room_id', 'in', limited));
    else if (limited) ors.push(eb.and([eb('threads.room_id', 'in', limited), eb('threads.room_id', 'in', memberRooms(eb, me))]));
    // Authors keep reading their own room threads after leaving the room, but a room limit binds
    // them like anyone else: a token for one room is no key to the author's other rooms.
    else ors.push(eb('threads.room_id', 'in', memberRooms(eb, me)), eb('threads.author_id', '=', me));
    return eb.or(ors);
  };
}
