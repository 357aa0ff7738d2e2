/**
 * `client.events`: live subscriptions to a room, a thread, the organization feed or the
 * signed-in person's own events (`me`), all carried by the client's one live connection (shared
 * with the other tabs of the browser signed in as the same person with the same grant).
 * @module
 */
import { hubOf } from './live/hub.js';
import { LiveSubscription } from './live/subscription.js';
import { EventPosition } from './live/position.js';
import type { SubscribeOptions } from './live/types.js';
import type { Transport } from './transport.js';

/** Builds the live-events namespace over a transport. */
export function eventsApi(t: Transport) {
  return {
    /** Everything that happens in a room: messages, notes, resources, roadmap, posts, check-ins… */
    room: (roomId: string, options?: SubscribeOptions): LiveSubscription =>
      new LiveSubscription(hubOf(t), `room:${roomId}`, options),
    /** Posts and comments of a thread the caller can read. */
    thread: (threadId: string, options?: SubscribeOptions): LiveSubscription =>
      new LiveSubscription(hubOf(t), `thread:${threadId}`, options),
    /** Every post the caller can read in the organization. */
    feed: (options?: SubscribeOptions): LiveSubscription => new LiveSubscription(hubOf(t), 'feed', options),
    /**
     * The signed-in person's own events: `room.joined` when they become a member of a room
     * (a matching run published, their match request accepted). People only: an API key is refused.
     */
    me: (options?: SubscribeOptions): LiveSubscription => new LiveSubscription(hubOf(t), 'me', options),
    /**
     * A new {@link EventPosition}: pass it to the reads of a load (`{ position }`), then subscribe
     * with `lastEventId: position.since`, so no event written between the reads and the
     * subscription is missed, and none the reads reflect is applied twice.
     */
    position: (): EventPosition => new EventPosition(),
  };
}

/** The live-events namespace (`client.events`). */
export type EventsApi = ReturnType<typeof eventsApi>;
