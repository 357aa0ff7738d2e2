/**
 * `@menteo/elements`: the element classes, their events and the provider's context, without
 * registering any tag. Import `@menteo/elements/define/<name>` (or `@menteo/elements/define` for
 * all) to register them; importing this module has no side effects.
 * @module
 */
export { MenteoProvider, type MenteoTheme } from './provider/provider.js';
export { MenteoThreadFeed } from './thread-feed/thread-feed.js';
export { MenteoComposer } from './composer/composer.js';
export { MenteoPost } from './post/post.js';
export { MenteoPostList, type MoreStatus } from './post-list/post-list.js';
export { MenteoRoadmap, risksOf, type Risk } from './roadmap/roadmap.js';
export { MenteoRoom, type RoomTab } from './room/room.js';
export { MenteoCheckIn } from './check-in/check-in.js';
export { MenteoFeedback } from './feedback/feedback.js';
export { MenteoMatchSuggestions } from './match-suggestions/match-suggestions.js';
export { MenteoMatchRequests } from './match-requests/match-requests.js';
export * from './events.js';
export { sessionContext, type MenteoSession, type SessionStatus } from './context.js';
export { supportedLocales } from './internal/localization.js';
