/**
 * `createClient`: every namespace over one transport. Convenient for scripts and host backends;
 * a widget that cares about bytes builds only the namespaces it uses (see {@link createTransport}).
 * @module
 */
import { attentionApi, type AttentionApi } from './attention.js';
import { eventsApi, type EventsApi } from './events.js';
import { checkInsApi, feedbackApi, learningsApi, programApi, type CheckInsApi, type FeedbackApi, type LearningsApi, type ProgramApi } from './feedback.js';
import { embedSessionsApi, meApi, metaApi, type EmbedSessionsApi, type MeApi, type MetaApi } from './meta.js';
import { mentoringApi, type MentoringApi } from './mentoring.js';
import { apiKeysApi, organizationApi, peopleApi, type ApiKeysApi, type OrganizationApi, type PeopleApi } from './people.js';
import { roadmapsApi, type RoadmapsApi } from './roadmaps.js';
import { roomsApi, type RoomsApi } from './rooms.js';
import { postsApi, threadsApi, type PostsApi, type ThreadsApi } from './threads.js';
import { createTransport, type Transport, type TransportOptions } from './transport.js';

/** The whole API: a {@link Transport} (generic `request`/`list`) plus one namespace per resource family. */
export interface MenteoClient extends Transport {
  /** Mentorship rooms: members, messages, notes, resources. */
  readonly rooms: RoomsApi;
  /** Roadmaps: milestones and revisions. */
  readonly roadmaps: RoadmapsApi;
  /** Growth threads and their posts. */
  readonly threads: ThreadsApi;
  /** The post feed, single posts, comments, reactions. */
  readonly posts: PostsApi;
  /** A room's check-ins. */
  readonly checkIns: CheckInsApi;
  /** Ratings of how well guidance works. */
  readonly feedback: FeedbackApi;
  /** The mentors' learning log. */
  readonly learnings: LearningsApi;
  /** Program health (admins). */
  readonly program: ProgramApi;
  /** What in a room needs attention (the adjust loop). */
  readonly attention: AttentionApi;
  /** The mentor's overview of their rooms. */
  readonly mentoring: MentoringApi;
  /** People of the organization. */
  readonly people: PeopleApi;
  /** The organization itself. */
  readonly organization: OrganizationApi;
  /** API keys (API key with `org:admin`). */
  readonly apiKeys: ApiKeysApi;
  /** Embed sessions for host backends (API key). */
  readonly embedSessions: EmbedSessionsApi;
  /** Who the credentials are. */
  readonly me: MeApi;
  /** Health and the OpenAPI document. */
  readonly meta: MetaApi;
  /** Live subscriptions. */
  readonly events: EventsApi;
}

/**
 * Creates a client.
 *
 * @example Script or host backend
 * ```ts
 * const menteo = createClient({ baseUrl: 'https://menteo.example.com', apiKey: process.env.MENTEO_KEY! });
 * for await (const room of menteo.rooms.list({ status: 'active' })) console.log(room.title);
 * ```
 * @example Browser (widgets)
 * ```ts
 * const menteo = createClient({
 *   baseUrl: 'https://menteo.example.com',
 *   clientSecret: async () => (await fetch('/my-backend/menteo-secret').then((r) => r.json())).clientSecret,
 * });
 * ```
 */
export function createClient(options: TransportOptions): MenteoClient {
  const t = createTransport(options);
  return {
    request: t.request,
    list: t.list,
    open: t.open,
    options: t.options,
    renewCredentials: t.renewCredentials,
    rooms: roomsApi(t),
    roadmaps: roadmapsApi(t),
    threads: threadsApi(t),
    posts: postsApi(t),
    checkIns: checkInsApi(t),
    feedback: feedbackApi(t),
    learnings: learningsApi(t),
    program: programApi(t),
    attention: attentionApi(t),
    mentoring: mentoringApi(t),
    people: peopleApi(t),
    organization: organizationApi(t),
    apiKeys: apiKeysApi(t),
    embedSessions: embedSessionsApi(t),
    me: meApi(t),
    meta: metaApi(t),
    events: eventsApi(t),
  };
}
