/**
 * Live event streams: per room, per thread and the organization's post feed.
 * @module
 */
import { openLiveConnection, streamFeedEvents, streamRoomEvents, streamThreadEvents, updateLiveTopics } from '@menteo/api/events';
import { readableRoom, roleIn, withinRoomLimit } from '../auth/access.js';
import { isOrgWide } from '../auth/principal.js';
import type { Context } from '../context.js';
import type { StoredEvent } from '../events/bus.js';
import { openStream } from '../events/sse.js';
import { handle } from '../handler.js';
import { ApiError } from '../http/errors.js';
import { visibleThread } from './threads.js';

const POST_EVENTS = ['post.created', 'post.updated', 'post.deleted', 'comment.created'] as const;
/** Membership answers are cached briefly per stream: a busy feed should not query per event. */
const MEMBERSHIP_TTL_MS = 10_000;

/** Visibility of post events by their audience, with a per-stream membership cache. */
function audienceFilter(ctx: Context): (e: StoredEvent) => Promise<boolean> {
  const cache = new Map<string, { ok: boolean; at: number }>();
  const p = ctx.principal;
  return async (e) => {
    if (e.audience !== 'room') return true;
    if (e.roomId === null || !withinRoomLimit(p, e.roomId)) return false;
    if (isOrgWide(p)) return true;
    const hit = cache.get(e.roomId);
    if (hit && Date.now() - hit.at < MEMBERSHIP_TTL_MS) return hit.ok;
    const ok = (await roleIn(ctx.db, e.roomId, p.person?.id)) !== null;
    cache.set(e.roomId, { ok, at: Date.now() });
    return ok;
  };
}

/** Stream handlers. */
export const eventHandlers = [
  handle(streamRoomEvents, async ({ params, ctx }) => {
    const { room } = await readableRoom(ctx, params.roomId);
    return openStream(ctx, { roomId: room.id, visible: async () => true });
  }),
  handle(streamThreadEvents, async ({ params, ctx }) => {
    const thread = await visibleThread(ctx, params.threadId);
    return openStream(ctx, { threadId: thread.id, visible: audienceFilter(ctx) });
  }),
  handle(streamFeedEvents, async ({ ctx }) => openStream(ctx, { types: POST_EVENTS, visible: audienceFilter(ctx) })),
  // TEMPORARY until the live hub lands (issue 7): the contract declares these operations.
  handle(openLiveConnection, async () => {
    throw new ApiError('unavailable', 'Live connections are not available yet.');
  }),
  handle(updateLiveTopics, async () => {
    throw new ApiError('unavailable', 'Live connections are not available yet.');
  }),
];
