/**
 * The real Menteo API inside the test page: `@menteo/mock/browser` runs the server app behind
 * msw's service worker over an in-memory SQLite (sql.js). Set-up data is created through the
 * API itself with the organization's secret key, as a host backend would; widgets sign in with
 * a client secret, as they do in production. There is no hand-written fake of the API.
 * @module
 */
import { startBrowserMock, type BrowserMock } from '@menteo/mock/browser';
import { createClient, type LiveSubscription, type MenteoClient } from '@menteo/client';
import type { Person, PersonRole } from '@menteo/api/people';
import type { Room, RoomRole } from '@menteo/api/rooms';
import type { Post, Audience } from '@menteo/api/threads';
import type { NewMilestone, Roadmap } from '@menteo/api/roadmaps';
import type { Scope } from '@menteo/api/scopes';
import { cleanupBody, mountInProvider, until } from './index.js';
import type { MenteoProvider } from '../provider/provider.js';

async function loadScript(src: string): Promise<void> {
  if ((globalThis as { initSqlJs?: unknown }).initSqlJs) return;
  await new Promise<void>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

/** Options of {@link World.clientFor}. */
export interface WidgetClientOptions {
  /** The embed session's scopes; a member's defaults when omitted. */
  scopes?: Scope[];
}

/** A fresh room with its own mentor and mentee (tests isolate themselves with one each). */
export interface RoomSet {
  room: Room;
  mentor: Person;
  mentee: Person;
}

/** A mock with an organization, two people sharing a room, and a host-backend client. */
export interface World {
  mock: BrowserMock;
  /**
   * The host backend's client (secret API key): never handed to a widget. It calls the app
   * in-process rather than through the service worker, so the faults a test installs for the
   * widgets never hit its set-up or its checks.
   */
  admin: MenteoClient;
  mentor: Person;
  mentee: Person;
  room: Room;
  /** What a host backend's endpoint does: mint a single-use client secret for `person`. */
  clientSecretFor(person: Person, scopes?: Scope[]): () => Promise<string>;
  /** The secret key acting as `person` (`Menteo-Act-As`): set-up writes that have an author. */
  as(person: Person): MenteoClient;
  /**
   * A widget's client for `person`, signing in with a client secret over the service worker
   * (faults apply). Retries are the client's real ones, with short delays so tests stay fast.
   */
  clientFor(person: Person, options?: WidgetClientOptions): MenteoClient;
  /** A new person of the organization. */
  person(displayName: string, roles?: PersonRole[]): Promise<Person>;
  /** A new room with a new mentor and mentee (and `extra` members). */
  newRoom(title?: string, extra?: Array<{ person: Person; role: RoomRole }>): Promise<RoomSet>;
  /** A post by `author` in their growth thread of `roomId` (the thread is created on first use). */
  postAs(author: Person, roomId: string, body: string, extra?: { audience?: Audience; milestoneId?: string }): Promise<Post>;
  /** A roadmap for `roomId` with milestones, created by `author` (a mentor of the room). */
  roadmap(author: Person, roomId: string, startDate: string, milestones: NewMilestone[], title?: string): Promise<Roadmap>;
}

/**
 * Registers a test file's hooks: one world for the whole file (starting sql.js is not free), faults
 * removed and the page and storage emptied after each test, the world stopped at the end. Returns
 * the world object, filled in once `before` has run (tests only read it inside hooks and tests).
 */
export function useWorld(): World {
  const world = {} as World;
  before(async () => {
    Object.assign(world, await startWorld());
  });
  after(async () => {
    await world.mock?.stop();
  });
  afterEach(() => {
    world.mock?.resetFaults();
    cleanupBody();
  });
  return world;
}

export async function startWorld(): Promise<World> {
  await loadScript('/__sql.js');
  const mock = await startBrowserMock();
  const direct = (input: Request, init?: RequestInit) => mock.app.fetch(new Request(input, init));
  const admin = createClient({ baseUrl: mock.baseUrl, apiKey: mock.organization.apiKey, retry: 0, fetch: direct });
  const mentor = await admin.people.create({ displayName: 'Max Mentor', roles: ['mentor'] });
  const mentee = await admin.people.create({ displayName: 'Mia Mentee' });
  const room = await admin.rooms.create({
    title: 'Frontend craft',
    purpose: 'Grow into a confident reviewer',
    members: [
      { personId: mentor.id, role: 'mentor' },
      { personId: mentee.id, role: 'mentee' },
    ],
  });
  const acting = new Map<string, MenteoClient>();
  const threads = new Map<string, string>();
  let rooms = 0;
  const world: World = {
    mock,
    admin,
    mentor,
    mentee,
    room,
    clientSecretFor: (person, scopes) => async () =>
      (await admin.embedSessions.create({ personId: person.id, ...(scopes ? { scopes } : {}) })).clientSecret,
    as(person) {
      let client = acting.get(person.id);
      if (client === undefined) {
        client = createClient({ baseUrl: mock.baseUrl, apiKey: mock.organization.apiKey, actAs: person.id, retry: 0, fetch: direct });
        acting.set(person.id, client);
      }
      return client;
    },
    clientFor(person, options = {}) {
      return createClient({
        baseUrl: mock.baseUrl,
        clientSecret: world.clientSecretFor(person, options.scopes),
        retry: { limit: 3, baseDelay: 2, maxDelay: 10 },
      });
    },
    person: (displayName, roles) => admin.people.create({ displayName, ...(roles ? { roles } : {}) }),
    async newRoom(title = `Room ${++rooms}`, extra = []) {
      const [m, e] = await Promise.all([world.person('Max Mentor', ['mentor']), world.person('Mia Mentee')]);
      const r = await admin.rooms.create({
        title,
        purpose: 'Grow into a confident reviewer',
        members: [
          { personId: m.id, role: 'mentor' },
          { personId: e.id, role: 'mentee' },
          ...extra.map((x) => ({ personId: x.person.id, role: x.role })),
        ],
      });
      return { room: r, mentor: m, mentee: e };
    },
    async postAs(author, roomId, body, extra = {}) {
      const key = `${author.id}|${roomId}`;
      let threadId = threads.get(key);
      const as = world.as(author);
      if (threadId === undefined) {
        threadId = (await as.threads.create({ title: 'Learning in public', roomId })).id;
        threads.set(key, threadId);
      }
      const audience = extra.audience ?? 'room';
      return as.threads.posts.create(threadId, {
        body,
        audience,
        ...(audience === 'room' ? { roomId } : {}),
        ...(extra.milestoneId ? { milestoneId: extra.milestoneId } : {}),
      });
    },
    roadmap: (author, roomId, startDate, milestones, title = 'Become a confident reviewer') =>
      world.as(author).roadmaps.create({ roomId, title, goal: "Review a colleague's PR every week", startDate, milestones }),
  };
  return world;
}

/**
 * Mounts `tag` in a `<menteo-provider>` whose client signs `person` in to the real app. Resolves
 * once sign-in has finished (ready, or failed) and the element rendered.
 */
export async function mountAs<E extends HTMLElement>(
  world: World,
  person: Person,
  tag: string,
  attrs: Record<string, string> = {},
  options: WidgetClientOptions & { container?: HTMLElement; client?: MenteoClient; providerAttrs?: Record<string, string> } = {},
) {
  const client = options.client ?? world.clientFor(person, options);
  const mounted = await mountInProvider<E>(client, tag, options.providerAttrs ?? {}, options.container ?? document.body, attrs);
  const provider = mounted.provider as unknown as MenteoProvider;
  await until(() => provider.currentSession.status === 'ready' || provider.currentSession.status === 'error', 'sign-in');
  await mounted.el.updateComplete;
  return { ...mounted, client };
}

/**
 * Records the live subscriptions a (real) client opens, so a test can look at their state. The
 * subscriptions are the client's own; nothing about them is replaced.
 */
export function recordLive(client: MenteoClient): LiveSubscription[] {
  const opened: LiveSubscription[] = [];
  const events = client.events as unknown as Record<string, (...args: unknown[]) => LiveSubscription>;
  for (const name of ['room', 'thread', 'feed']) {
    const original = events[name]!.bind(client.events);
    events[name] = (...args: unknown[]) => {
      const sub = original(...args);
      opened.push(sub);
      return sub;
    };
  }
  return opened;
}

/** A request the page sent to the API, as it left (headers, and a clone to read or replay). */
export interface SentRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** An unread copy of the request. */
  request: Request;
}

/**
 * Records the requests matching `method` and `path` that reach the service worker, from now
 * until `stop()`: what the element sent on the wire (idempotency keys, bodies).
 */
export function recordRequests(world: World, method: string, path: RegExp): SentRequest[] & { stop(): void } {
  const sent: SentRequest[] = [];
  const listener = ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    if (request.method !== method || !path.test(url.pathname)) return;
    sent.push({ method, path: url.pathname, idempotencyKey: request.headers.get('idempotency-key'), request: request.clone() });
  };
  world.mock.worker.events.on('request:start', listener);
  return Object.assign(sent, { stop: () => world.mock.worker.events.removeListener('request:start', listener) });
}
