// Builds the matrix's world (support/matrix-model.ts) on a real server over HTTP, and every
// private text in it carries a unique marker with the set of callers allowed to read it.
// Resources that an operation consumes (a post to delete, a member to remove, a key to revoke)
// are made fresh per request, so requests can run in parallel and still expect one outcome.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createOrganization } from '../../src/index.js';
import {
  CALLERS, PEOPLE, POSTS, REDUCED_SCOPES, MENTOR_SCOPES, ADMIN_SCOPES, ROADMAPS, ROOM_MENTEE, ROOM_MENTOR, ROOMS, THREADS, inOrg, readsPost, readsRoom, readsRoomContent, readsThread, seesContactDetails,
  type Caller, type CallerClass, type OrgKey, type PersonKey, type PostKey, type RoadmapKey, type RoomKey, type ThreadKey,
} from './matrix-model.js';
import type { TestServer } from './server.js';

/** One private text and who may read it. */
export interface Marker {
  readonly text: string;
  /** What it is, for failure messages. */
  readonly label: string;
  readonly readers: (c: Caller) => boolean;
}

/** One HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly body: unknown;
}

/** How a request authenticates. */
export interface As {
  /** Bearer secret; null for none. */
  readonly auth: string | null;
  readonly actAs?: string | null;
}

/** The built world. */
export interface Fixture {
  readonly server: TestServer;
  readonly markers: Marker[];
  readonly orgs: Record<OrgKey, string>;
  readonly people: Record<PersonKey, string>;
  readonly rooms: Record<RoomKey, string>;
  readonly roomTitles: Record<RoomKey, string>;
  readonly threads: Record<ThreadKey, string>;
  readonly posts: Record<PostKey, string>;
  readonly roadmaps: Record<RoadmapKey, string>;
  /** A milestone of each roadmap that stays (for updates). */
  readonly milestones: Record<RoadmapKey, string>;
  /** A session note with one action item in each room. */
  readonly notes: Record<RoomKey, { noteId: string; itemId: string }>;
  /** An LTI platform registered in each organization. */
  readonly platforms: Record<OrgKey, string>;
  /** How each credential class authenticates. */
  readonly as: Record<CallerClass, As>;
  /** The organization's own key, acting as a person of the model. */
  asPerson(person: PersonKey): As;
  send(method: string, path: string, as: As, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** Fresh resources, one per request that consumes them. Archived rooms give their one pre-made resource (writes there change nothing). */
  fresh: {
    person(org: OrgKey): Promise<string>;
    /** A person just added to the room as a mentee. */
    member(room: RoomKey): Promise<string>;
    resource(room: RoomKey): Promise<string>;
    milestone(roadmap: RoadmapKey): Promise<string>;
    post(post: PostKey): Promise<string>;
    apiKey(org: OrgKey): Promise<string>;
    scimToken(org: OrgKey): Promise<string>;
    clientSecret(): Promise<string>;
  };
}

/** A unique marker: letters and digits only, so it fits in titles, bodies, emails and ids. */
function marker(): string {
  return `mkr${randomBytes(8).toString('hex')}`;
}

function ok(answer: Answer, status: number, what: string): void {
  assert.equal(answer.status, status, `fixture: ${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
}

/** Builds the world on a started server (whose organization is A). */
export async function buildFixture(server: TestServer): Promise<Fixture> {
  const markers: Marker[] = [];
  const mark = (label: string, readers: (c: Caller) => boolean): string => {
    const text = marker();
    markers.push({ text, label, readers });
    return text;
  };
  const other = await createOrganization(server.db, { name: 'Globex' });
  const orgKey: Record<OrgKey, string> = { A: server.apiKey, B: other.apiKey.secret };

  async function send(method: string, path: string, as: As, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const h = new Headers(headers);
    if (as.auth !== null) h.set('authorization', `Bearer ${as.auth}`);
    if (as.actAs) h.set('menteo-act-as', as.actAs);
    let payload: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      h.set('content-type', 'application/json');
    }
    const response = await fetch(`${server.url}${path}`, { method, headers: h, body: payload });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const parsed: unknown = contentType.includes('json') && text !== '' ? JSON.parse(text) : text;
    // Every answer the matrix sees is also checked against the published contract.
    if (response.status < 500) server.validator.response(method, new URL(path, server.url).pathname, response.status, contentType || null, text === '' ? undefined : parsed);
    return { status: response.status, contentType, text, body: parsed };
  }

  const people = {} as Record<PersonKey, string>;
  const keyOf = (person: PersonKey): string => orgKey[PEOPLE[person].org];
  const asPerson = (person: PersonKey): As => ({ auth: keyOf(person), actAs: people[person] });
  const post = async <T>(path: string, as: As, body: unknown, status = 201): Promise<T> => {
    const r = await send('POST', path, as, body);
    ok(r, status, `POST ${path}`);
    return r.body as T;
  };

  // People: emails and A's external ids are contact details.
  for (const [key, p] of Object.entries(PEOPLE) as [PersonKey, (typeof PEOPLE)[PersonKey]][]) {
    const email = `${mark(`${key}'s email`, (c) => seesContactDetails(c, p.org))}@example.com`;
    const externalId = `hr-${mark(`${key}'s externalId`, (c) => seesContactDetails(c, p.org))}`;
    const created = await post<{ id: string }>('/v1/people', { auth: orgKey[p.org] }, { displayName: p.name, email, externalId, roles: [...p.roles] });
    people[key] = created.id;
  }

  // Rooms, with private titles and purposes.
  const rooms = {} as Record<RoomKey, string>;
  const roomTitles = {} as Record<RoomKey, string>;
  for (const [key, r] of Object.entries(ROOMS) as [RoomKey, (typeof ROOMS)[RoomKey]][]) {
    roomTitles[key] = `Room ${mark(`${key}'s title`, (c) => readsRoom(c, key))}`;
    const members = Object.entries(r.members).map(([person, role]) => ({ personId: people[person as PersonKey], role }));
    const created = await post<{ id: string }>('/v1/rooms', { auth: orgKey[r.org] }, { title: roomTitles[key], purpose: `Purpose ${mark(`${key}'s purpose`, (c) => readsRoom(c, key))}`, members });
    rooms[key] = created.id;
  }

  // Each room's private content, written by its members.
  const notes = {} as Record<RoomKey, { noteId: string; itemId: string }>;
  const sharedResource = {} as Partial<Record<RoomKey, string>>;
  const mentorOf = ROOM_MENTOR;
  const menteeOf = ROOM_MENTEE;
  for (const key of Object.keys(ROOMS) as RoomKey[]) {
    // What people wrote: an admin outside the room does not read it (adminContentAccess off).
    const readers = (c: Caller) => readsRoomContent(c, key);
    const base = `/v1/rooms/${rooms[key]}`;
    await post(`${base}/messages`, asPerson(menteeOf[key]), { body: `Message ${mark(`${key} message`, readers)}` });
    const note = await post<{ id: string; actionItems: { id: string }[] }>(`${base}/notes`, asPerson(mentorOf[key]), {
      sessionDate: '2026-01-05', summary: `Session ${mark(`${key} note summary`, readers)}`, actionItems: [{ text: `Do ${mark(`${key} action item`, readers)}` }],
    });
    notes[key] = { noteId: note.id, itemId: note.actionItems[0]?.id ?? '' };
    const resource = await post<{ id: string }>(`${base}/resources`, asPerson(menteeOf[key]), {
      title: `Doc ${mark(`${key} resource title`, readers)}`, url: 'https://docs.example.com/guide', note: `Why ${mark(`${key} resource note`, readers)}`,
    });
    sharedResource[key] = resource.id;
    await post(`${base}/check-ins`, asPerson(menteeOf[key]), { progress: `Progress ${mark(`${key} check-in progress`, readers)}`, blockers: `Blocked ${mark(`${key} check-in blockers`, readers)}`, confidence: 3 });
    if (key !== 'RB') {
      await post(`${base}/feedback`, asPerson(menteeOf[key]), { subject: 'room', rating: 4, comment: `Feedback ${mark(`${key} feedback`, readers)}` });
      await post(`${base}/learnings`, asPerson(mentorOf[key]), { body: `Learned ${mark(`${key} learning`, readers)}` });
      await post(`${base}/feedback-requests`, asPerson(mentorOf[key]), { subject: 'room', recipientId: people[menteeOf[key]], message: `Ask ${mark(`${key} feedback request`, readers)}` });
    }
  }

  // Roadmaps, with a private goal, milestone and revision reason.
  const roadmaps = {} as Record<RoadmapKey, string>;
  const milestones = {} as Record<RoadmapKey, string>;
  for (const [key, r] of Object.entries(ROADMAPS) as [RoadmapKey, (typeof ROADMAPS)[RoadmapKey]][]) {
    const readers = (c: Caller) => readsRoom(c, r.room);
    const creator = r.room === 'RB' ? asPerson('GB') : asPerson(mentorOf[r.room]);
    const created = await post<{ id: string; milestones: { id: string }[] }>('/v1/roadmaps', creator, {
      roomId: rooms[r.room], ownerId: people[r.owner], title: 'Plan', goal: `Goal ${mark(`${key} goal`, readers)}`, startDate: '2026-01-01',
      milestones: [{ title: `Milestone ${mark(`${key} milestone`, readers)}`, dueDate: '2026-03-01' }],
    });
    roadmaps[key] = created.id;
    milestones[key] = created.milestones[0]?.id ?? '';
    const revised = await send('PATCH', `/v1/roadmaps/${created.id}`, creator, { goal: `Goal ${mark(`${key} revised goal`, readers)}`, reason: `Because ${mark(`${key} revision reason`, readers)}` });
    ok(revised, 200, 'roadmap revision');
  }

  // Growth threads and posts: room thread titles belong to the thread's readers.
  const threads = {} as Record<ThreadKey, string>;
  for (const [key, t] of Object.entries(THREADS) as [ThreadKey, (typeof THREADS)[ThreadKey]][]) {
    const created = await post<{ id: string }>('/v1/threads', asPerson(t.author), { title: `Thread ${mark(`${key} title`, (c) => readsThread(c, key))}`, ...(t.room ? { roomId: rooms[t.room] } : {}) });
    threads[key] = created.id;
  }
  const posts = {} as Record<PostKey, string>;
  const writePost = async (key: PostKey, text: string): Promise<string> => {
    const p = POSTS[key];
    const created = await post<{ id: string }>(`/v1/threads/${threads[p.thread]}/posts`, asPerson(THREADS[p.thread].author), { body: text, audience: p.audience });
    return created.id;
  };
  for (const key of Object.keys(POSTS) as PostKey[]) {
    const p = POSTS[key];
    // Public posts are public: no marker. Room and org posts are private to their readers.
    posts[key] = await writePost(key, p.audience === 'public' ? 'A public post' : `Post ${mark(`${key} body`, (c) => readsPost(c, key))}`);
  }
  await post(`/v1/posts/${posts.P1room}/comments`, asPerson('M1'), { body: `Comment ${mark('comment on P1room', (c) => readsPost(c, 'P1room'))}` });
  await post(`/v1/posts/${posts.P1org}/comments`, asPerson('E2'), { body: `Comment ${mark('comment on P1org', (c) => readsPost(c, 'P1org'))}` });

  // LTI platforms, so roster syncs have a platform of each organization to name.
  const platforms = {} as Record<OrgKey, string>;
  for (const org of ['A', 'B'] as const) {
    const created = await post<{ id: string }>('/v1/integrations/lti/platforms', { auth: orgKey[org] }, {
      issuer: `https://lms-${org.toLowerCase()}.example.com`, clientId: `client-${org}`, deploymentIds: ['dep-1'],
      authLoginUrl: 'https://lms.example.com/auth', authTokenUrl: 'https://lms.example.com/token', jwksUrl: 'https://lms.example.com/jwks',
    });
    platforms[org] = created.id;
  }

  // R3: a member for role changes, made before the room is archived; then archive it.
  const archivedMember = (await post<{ id: string }>('/v1/people', { auth: orgKey.A }, { displayName: 'Archived Member' })).id;
  ok(await send('POST', `/v1/rooms/${rooms.R3}/members`, { auth: orgKey.A }, { personId: archivedMember, role: 'mentee' }), 201, 'R3 member');
  ok(await send('PATCH', `/v1/rooms/${rooms.R3}`, { auth: orgKey.A }, { status: 'archived' }), 200, 'archive R3');

  // Credentials of every class.
  const tokenFor = async (person: PersonKey, session: Record<string, unknown> = {}): Promise<string> => {
    const s = await post<{ clientSecret: string }>('/v1/embed-sessions', { auth: orgKey[PEOPLE[person].org] }, { personId: people[person], ...session });
    const t = await post<{ accessToken: string }>('/v1/tokens', { auth: null }, { clientSecret: s.clientSecret }, 200);
    return t.accessToken;
  };
  const reduced = await post<{ secret: string }>('/v1/api-keys', { auth: orgKey.A }, { name: 'feed only', scopes: [...REDUCED_SCOPES] });
  const revoked = await post<{ secret: string; key: { id: string } }>('/v1/api-keys', { auth: orgKey.A }, { name: 'revoked' });
  ok(await send('DELETE', `/v1/api-keys/${revoked.key.id}`, { auth: orgKey.A }), 200, 'revoke key');
  const deactivated = await tokenFor('D');
  ok(await send('PATCH', `/v1/people/${people.D}`, { auth: orgKey.A }, { active: false }), 200, 'deactivate D');
  const as: Record<CallerClass, As> = {
    ownKey: asPerson('M1'),
    keyAsOutsider: asPerson('E2'),
    keyAsObserver: asPerson('O1'),
    reducedKey: { auth: reduced.secret },
    foreignKey: asPerson('GB'),
    revokedKey: { auth: revoked.secret },
    mentor: { auth: await tokenFor('M1', { scopes: [...MENTOR_SCOPES] }) },
    mentee: { auth: await tokenFor('E1') },
    observer: { auth: await tokenFor('O1') },
    roomLimited: { auth: await tokenFor('E1', { roomIds: [rooms.R3] }) },
    nonMember: { auth: await tokenFor('E2') },
    admin: { auth: await tokenFor('AD', { scopes: [...ADMIN_SCOPES] }) },
    scopedMember: { auth: await tokenFor('M2', { scopes: [...ADMIN_SCOPES] }) },
    deactivated: { auth: deactivated },
    anonymous: { auth: null },
  };
  for (const c of Object.values(CALLERS)) assert.equal(c.person === null || c.kind !== 'key' || as[c.class].actAs === people[c.person], true, `${c.class} acts as its model person`);

  const fresh: Fixture['fresh'] = {
    async person(org) {
      return (await post<{ id: string }>('/v1/people', { auth: orgKey[org] }, { displayName: 'Fresh Person' })).id;
    },
    async member(room) {
      if (ROOMS[room].archived) return archivedMember;
      const id = await fresh.person(ROOMS[room].org);
      ok(await send('POST', `/v1/rooms/${rooms[room]}/members`, { auth: orgKey[ROOMS[room].org] }, { personId: id, role: 'mentee' }), 201, 'fresh member');
      return id;
    },
    async resource(room) {
      if (ROOMS[room].archived) return sharedResource[room] ?? '';
      return (await post<{ id: string }>(`/v1/rooms/${rooms[room]}/resources`, asPerson(menteeOf[room]), { title: 'Fresh resource', url: 'https://docs.example.com/fresh' })).id;
    },
    async milestone(roadmap) {
      const r = ROADMAPS[roadmap];
      if (ROOMS[r.room].archived) return milestones[roadmap];
      const creator = r.room === 'RB' ? asPerson('GB') : asPerson(mentorOf[r.room]);
      // A unique title finds the new milestone among those other requests add at the same time.
      const title = `Fresh milestone ${randomBytes(6).toString('hex')}`;
      const updated = await post<{ milestones: { id: string; title: string }[] }>(`/v1/roadmaps/${roadmaps[roadmap]}/milestones`, creator, { milestone: { title, dueDate: '2026-12-01' }, reason: 'matrix' });
      return updated.milestones.find((m) => m.title === title)?.id ?? '';
    },
    async post(key) {
      const p = POSTS[key];
      const thread = THREADS[p.thread];
      if (thread.room !== null && ROOMS[thread.room].archived) return posts[key];
      return writePost(key, 'A fresh post');
    },
    async apiKey(org) {
      return (await post<{ key: { id: string } }>('/v1/api-keys', { auth: orgKey[org] }, { name: 'fresh' })).key.id;
    },
    async scimToken(org) {
      return (await post<{ token: { id: string } }>('/v1/integrations/scim/tokens', { auth: orgKey[org] }, { label: 'fresh' })).token.id;
    },
    async clientSecret() {
      return (await post<{ clientSecret: string }>('/v1/embed-sessions', { auth: orgKey.A }, { personId: people.E3 })).clientSecret;
    },
  };

  const orgs: Record<OrgKey, string> = { A: server.orgId, B: other.organization.id };
  return { server, markers, orgs, people, rooms, roomTitles, threads, posts, roadmaps, milestones, notes, platforms, as, asPerson, send, fresh };
}

/** Markers the caller must not see that occur in `text`. */
export function leaks(markers: readonly Marker[], c: Caller, text: string): Marker[] {
  return markers.filter((m) => !m.readers(c) && text.includes(m.text));
}

/** Re-exported for the suite: a caller is signed in to this organization. */
export { inOrg };
