/**
 * `@menteo/client`: the typed client of the Menteo API, for browsers and Node 20.
 *
 * ```ts
 * import { createClient } from '@menteo/client';
 * const menteo = createClient({ baseUrl, apiKey });
 * const page = await menteo.rooms.list({ limit: 20 });          // one page
 * for await (const post of menteo.threads.posts.list(threadId)) // every post, page after page
 *   console.log(post.body);
 * ```
 *
 * Bundle-conscious code imports narrow subpaths instead (`@menteo/client/transport`,
 * `@menteo/client/threads`, …): each namespace module imports only its own contract family.
 * @packageDocumentation
 */
export { createClient, type MenteoClient } from './client.js';
export {
  createTransport,
  DEFAULT_TIMEOUT,
  newIdempotencyKey,
  toMenteoError,
  type ApiKeyAuth,
  type ClientSecretAuth,
  type NoAuth,
  type RequestHook,
  type RetryOptions,
  type Transport,
  type TransportBaseOptions,
  type TransportOptions,
} from './transport.js';
export * from './errors.js';
export { PageRequest, type PageFetcher } from './page.js';
export type { CallOptions, ItemOf, ListOptions, ListQuery, Output, Page, RequestInput, ResponseOf } from './types.js';
export { backoffDelay, exponentialCeiling, fullJitter, parseRetryAfter, type BackoffOptions } from './backoff.js';
export { TokenSource, type IssuedToken, type TokenExchange } from './tokens.js';
// Straight from the modules, not the `live.js` barrel: the tab-sharing code is a lazily loaded
// chunk, and a static re-export would put it back on every page's first load.
export { LiveSubscription } from './live/subscription.js';
export { EventPosition } from './live/position.js';
export type {
  LiveEventListener, LiveEventOf, LiveTuning, ReconnectInfo, SubscribeOptions, SubscriptionState, TabLocks,
} from './live/types.js';
export { createEmbedSession } from './embed.js';
export { roomsApi, type RoomsApi } from './rooms.js';
export { roadmapsApi, type RoadmapsApi } from './roadmaps.js';
export { threadsApi, postsApi, type ThreadsApi, type PostsApi } from './threads.js';
export { checkInsApi, feedbackApi, learningsApi, programApi, type CheckInsApi, type FeedbackApi, type LearningsApi, type ProgramApi } from './feedback.js';
export { attentionApi, type AttentionApi } from './attention.js';
export { mentoringApi, type MentoringApi } from './mentoring.js';
export { peopleApi, organizationApi, apiKeysApi, type PeopleApi, type OrganizationApi, type ApiKeysApi } from './people.js';
export { metaApi, meApi, embedSessionsApi, type MetaApi, type MeApi, type EmbedSessionsApi } from './meta.js';
export { eventsApi, type EventsApi } from './events.js';
export { integrationsApi, type IntegrationsApi } from './integrations.js';
export { programsApi, type ProgramsApi, type RunImportOptions } from './programs.js';
export { matchingApi, type MatchingApi } from './matching.js';
