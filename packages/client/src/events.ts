/**
 * `client.events`: live subscriptions to a room, a thread or the organization feed.
 * Imports `@menteo/api/events` (whose `LiveEvent` union refers to most resource schemas).
 * @module
 */
import { streamFeedEvents, streamRoomEvents, streamThreadEvents } from '@menteo/api/events';
import { subscribe, type LiveSubscription, type SubscribeOptions } from './live.js';
import type { Transport } from './transport.js';

/** Builds the live-events namespace over a transport. */
export function eventsApi(t: Transport) {
  return {
    /** Everything that happens in a room: messages, notes, resources, roadmap, posts, check-ins… */
    room: (roomId: string, options?: SubscribeOptions): LiveSubscription =>
      subscribe(t, streamRoomEvents, { roomId }, options),
    /** Posts and comments of a thread the caller can read. */
    thread: (threadId: string, options?: SubscribeOptions): LiveSubscription =>
      subscribe(t, streamThreadEvents, { threadId }, options),
    /** Every post the caller can read in the organization. */
    feed: (options?: SubscribeOptions): LiveSubscription => subscribe(t, streamFeedEvents, undefined, options),
  };
}

/** The live-events namespace (`client.events`). */
export type EventsApi = ReturnType<typeof eventsApi>;
