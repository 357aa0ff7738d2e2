// The authorization matrix's expectations: ONE entry per operation of the contract, naming the
// resources it is tried on and the status each caller must get. The gate every operation shares
// (no or dead credential → 401, a token on a key-only operation → 403, a missing scope → 403)
// is derived from the operation's declaration in @menteo/api; an entry states what happens to a
// caller who passed it. An operation without an entry fails the suite.
import { DEFAULT_EMBED_SCOPES } from '@menteo/api/scopes';
import type { Operation } from '@menteo/api/operation';
import type { Fixture } from './matrix-fixture.js';
import { MATCHING_ENTRIES } from './matrix-matching.js';
import { PROGRAM_ENTRIES } from './matrix-programs.js';
import {
  PEOPLE, ROADMAPS, ROOMS, ROOM_MENTEE, ROOM_MENTOR, THREADS, administers, contributes, editsRoadmap, isAdmin, manages, orgWide, postFacts, readsPost, readsRoom, readsRoomContent, readsThread, roleIn,
  type Caller, type OrgKey, type PostKey, type RoadmapKey, type RoomKey, type ThreadKey,
} from './matrix-model.js';

/** What one request sends besides its credential. */
export interface RequestSpec {
  readonly params?: Record<string, string>;
  /** Query string without the `?`. */
  readonly query?: string;
  readonly body?: unknown;
}

/** One operation's row of the table. */
export interface Entry {
  /** The resources (by ownership and audience) the operation is tried on; `-` when it takes none. */
  readonly targets: readonly string[];
  /** The status a caller who passed the shared gate must get on a target. */
  readonly expect: (c: Caller, target: string) => number;
  /** The request for a target (fresh resources for operations that consume them). */
  readonly request: (fx: Fixture, target: string, c: Caller) => RequestSpec | Promise<RequestSpec>;
}

/** The gate every operation shares, from its declaration: credential, key-only, scopes. Null when passed. */
export function gate(op: Operation, c: Caller): number | null {
  if (op.auth === 'none' || op.auth === 'client-secret') return null;
  if (c.kind === 'none' || !c.valid) return 401;
  if (op.auth === 'key' && c.kind !== 'key') return 403;
  if (op.scopes.some((s) => !c.scopes.has(s))) return 403;
  return null;
}

/** An entry over a typed family of targets. */
function on<const T extends string>(targets: readonly T[], expect: (c: Caller, t: T) => number, request: (fx: Fixture, t: T, c: Caller) => RequestSpec | Promise<RequestSpec> = () => ({})): Entry {
  return { targets, expect: expect as Entry['expect'], request: request as Entry['request'] };
}
/** An entry for an operation that takes no resource and administers the organization: 403 for any token but an admin's with org:admin. */
function adminOnly(status: number, request: (fx: Fixture, c: Caller) => RequestSpec | Promise<RequestSpec> = () => ({})): Entry {
  return on(['-'], (c) => (administers(c) ? status : 403), (fx, _t, c) => request(fx, c));
}
/** An entry for an operation that takes no resource. */
function plain(status: number, request: (fx: Fixture, c: Caller) => RequestSpec | Promise<RequestSpec> = () => ({})): Entry {
  return on(['-'], () => status, (fx, _t, c) => request(fx, c));
}

const ROOM_TARGETS = ['R1', 'R2', 'R3', 'RB'] as const satisfies readonly RoomKey[];
const THREAD_TARGETS = ['T1', 'T0', 'T3', 'TB'] as const satisfies readonly ThreadKey[];
const POST_TARGETS = ['P1room', 'P1org', 'P1pub', 'P0org', 'P0pub', 'P3room', 'PB'] as const satisfies readonly PostKey[];
/** Deleting consumes the post: one of each kind that differs (room/org audience, room/no room, archived room, foreign). */
const DELETE_TARGETS = ['P1room', 'P1org', 'P0org', 'P3room', 'PB'] as const satisfies readonly PostKey[];
const ROADMAP_TARGETS = ['RM1', 'RM2', 'RM3', 'RMB'] as const satisfies readonly RoadmapKey[];
const ORG_TARGETS = ['A', 'B'] as const satisfies readonly OrgKey[];

const archived = (room: RoomKey) => ROOMS[room].archived;
const roomParams = (fx: Fixture, room: RoomKey) => ({ roomId: fx.rooms[room] });

/** Reading a room or anything in it. */
const roomRead = (c: Caller, room: RoomKey) => (readsRoom(c, room) ? 200 : 404);
/** Reading what people wrote in a room: 404 unless the room is readable, 403 for an admin outside it (adminContentAccess off). */
const contentRead = (c: Caller, room: RoomKey) => (!readsRoom(c, room) ? 404 : readsRoomContent(c, room) ? 200 : 403);
/** A contribution to a room: 404 unless readable, 409 when archived, 403 unless the actor contributes there. */
const contribution = (created: number) => (c: Caller, room: RoomKey) => (!readsRoom(c, room) ? 404 : archived(room) ? 409 : contributes(c, room) ? created : 403);
/** Managing a room: 404 unless readable, 403 unless a manager, 409 when archived. */
const management = (done: number) => (c: Caller, room: RoomKey) => (!readsRoom(c, room) ? 404 : !manages(c, room) ? 403 : archived(room) ? 409 : done);
/** Editing a roadmap: 404 unless its room is readable, 409 when archived, 403 unless an editor. */
const roadmapEdit = (done: number) => (c: Caller, rm: RoadmapKey) => {
  const room = ROADMAPS[rm].room;
  return !readsRoom(c, room) ? 404 : archived(room) ? 409 : editsRoadmap(c, rm) ? done : 403;
};
/** A response to a post (comment, reaction): its room's state and roles apply. */
const response = (done: number) => (c: Caller, post: PostKey) => {
  const p = postFacts(post);
  if (!readsPost(c, post)) return 404;
  if (p.room === null) return done;
  if (archived(p.room)) return 409;
  const role = roleIn(c, p.room);
  if (role === 'observer') return 403;
  if (p.audience === 'room' && role === null && !isAdmin(c.person)) return 403;
  return done;
};

/** The table: one entry per operation id. */
export const TABLE: Readonly<Record<string, Entry>> = {
  // Service
  getHealth: plain(200),
  getOpenApi: plain(200),

  // Auth
  createEmbedSession: on(ORG_TARGETS, (c, org) => (c.org !== org ? 404 : DEFAULT_EMBED_SCOPES.every((s) => c.scopes.has(s)) ? 201 : 403),
    (fx, org) => ({ body: { personId: fx.people[org === 'A' ? 'E3' : 'GB'] } })),
  // The credential is the single-use secret in the body; an Authorization header plays no part.
  exchangeToken: on(['fresh secret'], () => 200, async (fx) => ({ body: { clientSecret: await fx.fresh.clientSecret() } })),
  getMe: plain(200),

  // Organization and people. Administering (keys, origins, people's roles) takes a key, or an
  // admin's token carrying org:admin (the admin console): the scope without the role is 403, and
  // the refusal comes before any lookup, so it never tells whether a foreign resource exists.
  createApiKey: adminOnly(201, () => ({ body: { name: 'matrix' } })),
  createPerson: adminOnly(201, () => ({ body: { displayName: 'Matrix Person' } })),
  getOrganization: plain(200),
  getPerson: on(ORG_TARGETS, (c, org) => (c.org === org ? 200 : 404), (fx, org) => ({ params: { personId: fx.people[org === 'A' ? 'E3' : 'GB'] } })),
  listApiKeys: adminOnly(200),
  listPeople: plain(200),
  revokeApiKey: on(ORG_TARGETS, (c, org) => (!administers(c) ? 403 : c.org === org ? 200 : 404), async (fx, org) => ({ params: { keyId: await fx.fresh.apiKey(org) } })),
  updateOrganization: adminOnly(200, () => ({ body: { name: 'Matrix Org' } })),
  updatePerson: on(ORG_TARGETS, (c, org) => (!administers(c) ? 403 : c.org === org ? 200 : 404), (fx, org) => ({ params: { personId: fx.people[org === 'A' ? 'E3' : 'GB'] }, body: { title: 'Matrix title' } })),

  // Rooms
  addRoomMember: on(ROOM_TARGETS, management(201), async (fx, room) => ({ params: roomParams(fx, room), body: { personId: await fx.fresh.person(ROOMS[room].org), role: 'mentee' } })),
  createMessage: on(ROOM_TARGETS, contribution(201), (fx, room) => ({ params: roomParams(fx, room), body: { body: 'matrix message' } })),
  createResource: on(ROOM_TARGETS, contribution(201), (fx, room) => ({ params: roomParams(fx, room), body: { title: 'Matrix doc', url: 'https://docs.example.com/m' } })),
  // Opening a room through a widget takes the organization-wide mentor role; keys and admins always may.
  createRoom: on(['-'], (c) => (c.kind === 'token' && !orgWide(c) && !(c.person !== null && PEOPLE[c.person].roles.includes('mentor')) ? 403 : 201),
    () => ({ body: { title: 'Matrix room' } })),
  createSessionNote: on(ROOM_TARGETS, contribution(201), (fx, room) => ({ params: roomParams(fx, room), body: { sessionDate: '2026-02-02', summary: 'matrix session' } })),
  deleteResource: on(ROOM_TARGETS, (c, room) => {
    if (!readsRoom(c, room)) return 404;
    if (archived(room)) return 409;
    if (!contributes(c, room)) return 403;
    return c.person === ROOM_MENTEE[room] || orgWide(c) || roleIn(c, room) === 'mentor' ? 204 : 403;
  }, async (fx, room) => ({ params: { ...roomParams(fx, room), resourceId: await fx.fresh.resource(room) } })),
  getRoom: on(ROOM_TARGETS, roomRead, (fx, room) => ({ params: roomParams(fx, room) })),
  listMessages: on(ROOM_TARGETS, contentRead, (fx, room) => ({ params: roomParams(fx, room) })),
  listResources: on(ROOM_TARGETS, contentRead, (fx, room) => ({ params: roomParams(fx, room) })),
  listRooms: plain(200),
  listSessionNotes: on(ROOM_TARGETS, contentRead, (fx, room) => ({ params: roomParams(fx, room) })),
  removeRoomMember: on(ROOM_TARGETS, management(200), async (fx, room) => ({ params: { ...roomParams(fx, room), personId: await fx.fresh.member(room) } })),
  addActionItem: on(ROOM_TARGETS, (c, room) => (!readsRoom(c, room) ? 404 : !readsRoomContent(c, room) ? 403 : archived(room) ? 409 : contributes(c, room) ? 200 : 403),
    (fx, room) => ({ params: { ...roomParams(fx, room), noteId: fx.notes[room].noteId }, body: { text: 'matrix item', dueDate: '2026-02-01' } })),
  // The adjust loop's findings: authorized like the room (observers and admins read them too).
  getRoomAttention: on(ROOM_TARGETS, roomRead, (fx, room) => ({ params: roomParams(fx, room) })),
  // Every caller who passes the gate is a person (keys act as someone); a non-mentor gets no rooms.
  getMentoringOverview: plain(200),
  updateActionItem: on(ROOM_TARGETS, (c, room) => (!readsRoom(c, room) ? 404 : !readsRoomContent(c, room) ? 403 : archived(room) ? 409 : contributes(c, room) ? 200 : 403),
    (fx, room) => ({ params: { ...roomParams(fx, room), ...fx.notes[room] }, body: { done: true } })),
  // The body keeps the title: only the status of a room could change who reads it, and it is not sent.
  updateRoom: on(ROOM_TARGETS, management(200), (fx, room) => ({ params: roomParams(fx, room), body: { title: fx.roomTitles[room] } })),
  updateRoomMember: on(ROOM_TARGETS, management(200), async (fx, room) => ({ params: { ...roomParams(fx, room), personId: await fx.fresh.member(room) }, body: { role: 'observer' } })),

  // Roadmaps
  addMilestone: on(ROADMAP_TARGETS, roadmapEdit(201), (fx, rm) => ({ params: { roadmapId: fx.roadmaps[rm] }, body: { milestone: { title: 'Matrix milestone', dueDate: '2026-06-01' }, reason: 'matrix' } })),
  // The owner is a fresh mentee, never the caller: only mentors and the organization start someone else's roadmap.
  createRoadmap: on(ROOM_TARGETS, (c, room) => {
    if (!readsRoom(c, room)) return 404;
    if (archived(room)) return 409;
    const role = roleIn(c, room);
    return role === 'mentor' || (role !== 'observer' && (c.person === null ? orgWide(c) : isAdmin(c.person))) ? 201 : 403;
  }, async (fx, room) => ({ body: { roomId: fx.rooms[room], ownerId: await fx.fresh.member(room), title: 'Matrix roadmap', startDate: '2026-01-01' } })),
  getRoadmap: on(ROADMAP_TARGETS, (c, rm) => roomRead(c, ROADMAPS[rm].room), (fx, rm) => ({ params: { roadmapId: fx.roadmaps[rm] } })),
  listRevisions: on(ROADMAP_TARGETS, (c, rm) => roomRead(c, ROADMAPS[rm].room), (fx, rm) => ({ params: { roadmapId: fx.roadmaps[rm] } })),
  listRoadmaps: plain(200),
  removeMilestone: on(ROADMAP_TARGETS, roadmapEdit(200), async (fx, rm) => ({ params: { roadmapId: fx.roadmaps[rm], milestoneId: await fx.fresh.milestone(rm) }, body: { reason: 'matrix' } })),
  updateMilestone: on(ROADMAP_TARGETS, roadmapEdit(200), (fx, rm) => ({ params: { roadmapId: fx.roadmaps[rm], milestoneId: fx.milestones[rm] }, body: { status: 'in_progress', reason: 'matrix' } })),
  updateRoadmap: on(ROADMAP_TARGETS, roadmapEdit(200), (fx, rm) => ({ params: { roadmapId: fx.roadmaps[rm] }, body: { title: 'Matrix plan', reason: 'matrix' } })),

  // Growth threads
  addReaction: on(POST_TARGETS, response(200), (fx, post) => ({ params: { postId: fx.posts[post], kind: 'applause' } })),
  createComment: on(POST_TARGETS, response(201), (fx, post) => ({ params: { postId: fx.posts[post] }, body: { body: 'matrix comment' } })),
  // Only the thread's author posts to it; in a room, as a contribution to that room.
  createPost: on(THREAD_TARGETS, (c, thread) => {
    const t = THREADS[thread];
    if (!readsThread(c, thread)) return 404;
    if (c.person !== t.author) return 403;
    if (t.room === null) return 201;
    return !readsRoom(c, t.room) ? 404 : archived(t.room) ? 409 : contributes(c, t.room) ? 201 : 403;
  }, (fx, thread) => ({ params: { threadId: fx.threads[thread] }, body: { body: 'matrix post', audience: 'org' } })),
  createThread: on(['no room', 'R1', 'R3', 'RB'] as const, (c, where) => (where === 'no room' ? 201 : contribution(201)(c, where)),
    (fx, where) => ({ body: { title: 'Matrix thread', ...(where === 'no room' ? {} : { roomId: fx.rooms[where] }) } })),
  deletePost: on(DELETE_TARGETS, (c, post) => {
    const p = postFacts(post);
    if (!readsPost(c, post)) return 404;
    if (c.person !== p.author && !orgWide(c)) return 403;
    return p.room !== null && archived(p.room) ? 409 : 204;
  }, async (fx, post) => ({ params: { postId: await fx.fresh.post(post) } })),
  getPost: on(POST_TARGETS, (c, post) => (readsPost(c, post) ? 200 : 404), (fx, post) => ({ params: { postId: fx.posts[post] } })),
  // Public posts of any organization, to anyone; nothing else.
  getPublicPost: on(POST_TARGETS, (_c, post) => (postFacts(post).audience === 'public' ? 200 : 404), (fx, post) => ({ params: { postId: fx.posts[post] } })),
  getThread: on(THREAD_TARGETS, (c, thread) => (readsThread(c, thread) ? 200 : 404), (fx, thread) => ({ params: { threadId: fx.threads[thread] } })),
  listComments: on(POST_TARGETS, (c, post) => (readsPost(c, post) ? 200 : 404), (fx, post) => ({ params: { postId: fx.posts[post] } })),
  listPosts: plain(200, () => ({ query: 'limit=100' })),
  listThreadPosts: on(THREAD_TARGETS, (c, thread) => (readsThread(c, thread) ? 200 : 404), (fx, thread) => ({ params: { threadId: fx.threads[thread] }, query: 'limit=100' })),
  listThreads: plain(200, () => ({ query: 'limit=100' })),
  removeReaction: on(POST_TARGETS, response(200), (fx, post) => ({ params: { postId: fx.posts[post], kind: 'applause' } })),

  // Check-ins, feedback, learnings, program health
  createCheckIn: on(ROOM_TARGETS, contribution(201), (fx, room) => ({ params: roomParams(fx, room), body: { progress: 'matrix progress', confidence: 4 } })),
  // The direction follows the author's role, so only mentors and mentees give feedback.
  createFeedback: on(ROOM_TARGETS, (c, room) => {
    const allowed = contribution(201)(c, room);
    if (allowed !== 201) return allowed;
    const role = roleIn(c, room);
    return role === 'mentor' || role === 'mentee' ? 201 : 403;
  }, (fx, room) => ({ params: roomParams(fx, room), body: { subject: 'room', rating: 5 } })),
  // Asking for feedback: like giving it, mentors and mentees only; the person asked is the room's
  // other side. RB's only member would be asking themselves: 400.
  createFeedbackRequest: on(ROOM_TARGETS, (c, room) => {
    const allowed = contribution(201)(c, room);
    if (allowed !== 201) return allowed;
    const role = roleIn(c, room);
    if (role !== 'mentor' && role !== 'mentee') return 403;
    return ROOM_MENTOR[room] === ROOM_MENTEE[room] ? 400 : 201;
  }, (fx, room, c) => ({
    params: roomParams(fx, room),
    body: { subject: 'room', recipientId: fx.people[c.person === ROOM_MENTOR[room] ? ROOM_MENTEE[room] : ROOM_MENTOR[room]] },
  })),
  getCheckInTrends: on(ROOM_TARGETS, roomRead, (fx, room) => ({ params: roomParams(fx, room) })),
  listFeedbackRequests: on(ROOM_TARGETS, contentRead, (fx, room) => ({ params: roomParams(fx, room) })),
  // The learning log is the mentors' own.
  createLearning: on(ROOM_TARGETS, (c, room) => {
    const allowed = contribution(201)(c, room);
    if (allowed !== 201) return allowed;
    return roleIn(c, room) === 'mentor' ? 201 : 403;
  }, (fx, room) => ({ params: roomParams(fx, room), body: { body: 'matrix learning' } })),
  // The scope alone is not enough for a person: program health is for organization admins.
  getProgramHealth: on(['-'], (c) => (orgWide(c) ? 200 : 403)),
  getProgramHealthSummary: on(['-'], (c) => (orgWide(c) ? 200 : 403)),
  // The audit log is for organization admins and keys with org:admin, like program health.
  listAuditLog: on(['-'], (c) => (orgWide(c) ? 200 : 403)),
  // Both kinds in both formats are searched for private markers (the export carries none).
  exportProgram: on(['rooms.csv', 'rooms.json', 'people.csv', 'people.json'], (c) => (orgWide(c) ? 200 : 403), (_fx, t) => {
    const [kind, format] = t.split('.');
    return { query: `kind=${kind}&format=${format}` };
  }),
  listCheckIns: on(ROOM_TARGETS, contentRead, (fx, room) => ({ params: roomParams(fx, room) })),
  listFeedback: on(ROOM_TARGETS, contentRead, (fx, room) => ({ params: roomParams(fx, room) })),
  listLearnings: on(ROOM_TARGETS, contentRead, (fx, room) => ({ params: roomParams(fx, room) })),

  // Live events (streams are replayed from the start and searched for markers)
  openLiveConnection: plain(200),
  streamFeedEvents: plain(200),
  streamRoomEvents: on(ROOM_TARGETS, contentRead, (fx, room) => ({ params: roomParams(fx, room) })),
  streamThreadEvents: on(THREAD_TARGETS, (c, thread) => (readsThread(c, thread) ? 200 : 404), (fx, thread) => ({ params: { threadId: fx.threads[thread] } })),
  // No connection of this id exists for anyone.
  updateLiveTopics: plain(404, () => ({ params: { connectionId: 'lc_matrixunknown00' }, body: { add: [{ topic: 'feed' }] } })),

  // Integrations (admin API: keys with org:admin, and admins' tokens carrying it)
  createLtiInstallUrl: adminOnly(201, () => ({ body: {} })),
  createScimToken: adminOnly(201, () => ({ body: { label: 'matrix' } })),
  getLtiToolConfig: adminOnly(200),
  listLtiCourses: adminOnly(200),
  listLtiPlatforms: adminOnly(200),
  listScimTokens: adminOnly(200),
  registerLtiPlatform: adminOnly(201, () => ({
    body: {
      issuer: `https://lms-${Math.random().toString(36).slice(2)}.example.com`, clientId: 'matrix', deploymentIds: ['d1'],
      authLoginUrl: 'https://lms.example.com/auth', authTokenUrl: 'https://lms.example.com/token', jwksUrl: 'https://lms.example.com/jwks',
    },
  })),
  revokeScimToken: on(ORG_TARGETS, (c, org) => (!administers(c) ? 403 : c.org === org ? 200 : 404), async (fx, org) => ({ params: { tokenId: await fx.fresh.scimToken(org) } })),
  // No course of either platform has launched yet: 404 for the owner, and a foreign platform is not found either.
  syncLtiRoster: on(ORG_TARGETS, (c) => (administers(c) ? 404 : 403), (fx, org) => ({ body: { platformId: fx.platforms[org], deploymentId: 'dep-1', contextId: 'course-1' } })),

  // Embed keys (signed embed URLs; org:admin API keys only). A foreign or unknown key is not found.
  createEmbedKey: adminOnly(201, () => ({ body: { retirePreviousAfterSeconds: 3600 } })),
  listEmbedKeys: adminOnly(200),
  revokeEmbedKey: adminOnly(404, () => ({ params: { keyId: 'embkey_matrixunknown00' } })),

  // Programs, cohorts, templates and enrolment (support/matrix-programs.ts)
  ...PROGRAM_ENTRIES,

  // Matching: profiles, settings, runs and self-serve requests (support/matrix-matching.ts)
  ...MATCHING_ENTRIES,
};
