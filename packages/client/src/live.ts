/**
 * Live events over one connection per client (and per browser, shared by its tabs). Not
 * `EventSource`: it cannot send an `Authorization` header, and a token in a URL ends up in proxy
 * and server logs. The pieces live in `./live/`:
 *
 * - `subscription.ts`: {@link LiveSubscription}, what a widget holds (a view of one topic);
 * - `connection.ts`: the one stream, topic updates, reconnects, watchdog, control frames;
 * - `tabs.ts`: sharing the connection between tabs (BroadcastChannel + Web Locks);
 * - `hub.ts`: one client's subscriptions routed over one carrier.
 * @module
 */
export { LiveSubscription } from './live/subscription.js';
export { LiveConnection, topicError, type ConnectionEvents } from './live/connection.js';
export { LiveHub, hubOf } from './live/hub.js';
export { TabCarrier, groupKey } from './live/tabs.js';
export { topicsOf } from './live/frames.js';
export type {
  LiveConnectionOptions, LiveEventListener, LiveEventOf, LiveTuning, ReconnectInfo, StateListener, SubscribeOptions,
  SubscriptionState, TabLocks, TopicName, TopicWant,
} from './live/types.js';
