// The authorization matrix's world, described once: who is in which room with which role, which
// thread and post belongs where, and who each credential class acts as. The fixture builds
// exactly this world over HTTP; the expectation table and the marker readers are predicates over
// it. The rules here restate the product's authorization rules (docs/architecture.md,
// "Authorization") independently of the server's code, so the two can disagree and fail.
import type { RoomRole } from '@menteo/api/rooms';
import { DEFAULT_EMBED_SCOPES, SCOPES, type Scope } from '@menteo/api/scopes';

/** Organization A is the one under test; B is another organization that must stay invisible to A and vice versa. */
export type OrgKey = 'A' | 'B';
export type PersonKey = 'M1' | 'E1' | 'E3' | 'O1' | 'M2' | 'E2' | 'D' | 'AD' | 'GB';
export type RoomKey = 'R1' | 'R2' | 'R3' | 'RB';
export type ThreadKey = 'T1' | 'T0' | 'T3' | 'TB';
export type PostKey = 'P1room' | 'P1org' | 'P1pub' | 'P0org' | 'P0pub' | 'P3room' | 'P3pub' | 'PB';
export type RoadmapKey = 'RM1' | 'RM2' | 'RM3' | 'RMB';
export type Audience = 'room' | 'org' | 'public';

export const PEOPLE: Readonly<Record<PersonKey, { readonly org: OrgKey; readonly name: string; readonly roles: readonly ('mentor' | 'admin' | 'member')[] }>> = {
  M1: { org: 'A', name: 'Mona Mentor', roles: ['mentor'] },
  E1: { org: 'A', name: 'Eli Mentee', roles: ['member'] },
  E3: { org: 'A', name: 'Eva Mentee', roles: ['member'] },
  O1: { org: 'A', name: 'Omar Observer', roles: ['member'] },
  M2: { org: 'A', name: 'Max Mentor', roles: ['mentor'] },
  E2: { org: 'A', name: 'Emil Mentee', roles: ['member'] },
  D: { org: 'A', name: 'Dana Departed', roles: ['member'] },
  AD: { org: 'A', name: 'Ada Admin', roles: ['admin'] },
  GB: { org: 'B', name: 'Gus Globex', roles: ['mentor'] },
};

/** R3 is archived once its content exists. */
export const ROOMS: Readonly<Record<RoomKey, { readonly org: OrgKey; readonly archived: boolean; readonly members: Partial<Record<PersonKey, RoomRole>> }>> = {
  R1: { org: 'A', archived: false, members: { M1: 'mentor', E1: 'mentee', E3: 'mentee', O1: 'observer', D: 'mentee' } },
  R2: { org: 'A', archived: false, members: { M2: 'mentor', E2: 'mentee' } },
  R3: { org: 'A', archived: true, members: { M1: 'mentor', E1: 'mentee' } },
  RB: { org: 'B', archived: false, members: { GB: 'mentee' } },
};

/** Who writes a room's content in the fixture (and adds the resources that get deleted). */
export const ROOM_MENTOR: Readonly<Record<RoomKey, PersonKey>> = { R1: 'M1', R2: 'M2', R3: 'M1', RB: 'GB' };
export const ROOM_MENTEE: Readonly<Record<RoomKey, PersonKey>> = { R1: 'E1', R2: 'E2', R3: 'E1', RB: 'GB' };

export const THREADS: Readonly<Record<ThreadKey, { readonly org: OrgKey; readonly room: RoomKey | null; readonly author: PersonKey }>> = {
  T1: { org: 'A', room: 'R1', author: 'E1' },
  T0: { org: 'A', room: null, author: 'E3' },
  T3: { org: 'A', room: 'R3', author: 'E1' },
  TB: { org: 'B', room: 'RB', author: 'GB' },
};

/** Posts live in their thread's room (or none) and are written by the thread's author. */
export const POSTS: Readonly<Record<PostKey, { readonly thread: ThreadKey; readonly audience: Audience }>> = {
  P1room: { thread: 'T1', audience: 'room' },
  P1org: { thread: 'T1', audience: 'org' },
  P1pub: { thread: 'T1', audience: 'public' },
  P0org: { thread: 'T0', audience: 'org' },
  P0pub: { thread: 'T0', audience: 'public' },
  P3room: { thread: 'T3', audience: 'room' },
  P3pub: { thread: 'T3', audience: 'public' },
  PB: { thread: 'TB', audience: 'public' },
};

export const ROADMAPS: Readonly<Record<RoadmapKey, { readonly room: RoomKey; readonly owner: PersonKey }>> = {
  RM1: { room: 'R1', owner: 'E1' },
  RM2: { room: 'R2', owner: 'E2' },
  RM3: { room: 'R3', owner: 'E1' },
  RMB: { room: 'RB', owner: 'GB' },
};

/** The credential classes every operation is tried with. */
export const CALLER_CLASSES = [
  'ownKey', 'keyAsOutsider', 'keyAsObserver', 'reducedKey', 'foreignKey', 'revokedKey',
  'mentor', 'mentee', 'observer', 'roomLimited', 'nonMember', 'admin', 'scopedMember', 'deactivated', 'anonymous',
] as const;
export type CallerClass = (typeof CALLER_CLASSES)[number];

/** What a credential class is, in the terms of the rules. */
export interface Caller {
  readonly class: CallerClass;
  readonly kind: 'key' | 'token' | 'none';
  /** False for a revoked key and a deactivated person's token: they authenticate as no one. */
  readonly valid: boolean;
  readonly org: OrgKey;
  readonly scopes: ReadonlySet<Scope>;
  /** The person the request acts as: a token's person, or an API key's `Menteo-Act-As`. */
  readonly person: PersonKey | null;
  /** Rooms a token is limited to; null when not limited. */
  readonly roomLimit: readonly RoomKey[] | null;
  /** One line for failure messages. */
  readonly about: string;
}

const ALL = new Set<Scope>(SCOPES);
const EMBED = new Set<Scope>(DEFAULT_EMBED_SCOPES);
/** Mentors embed with room management too, so the managers' rules are exercised through a token. */
const MENTOR_EMBED = new Set<Scope>([...DEFAULT_EMBED_SCOPES, 'rooms:write']);
/** A feed-only key: it reads growth threads and posts, nothing else. */
export const REDUCED_SCOPES: readonly Scope[] = ['threads:read'];
/** The admin console's token: every scope, as `menteo-server admin-link` and the demo's console mint it. */
const ADMIN_EMBED = new Set<Scope>(SCOPES);
/** Scopes of the admin's token. */
export const ADMIN_SCOPES: readonly Scope[] = [...ADMIN_EMBED];
/** Scopes of the mentor's token. */
export const MENTOR_SCOPES: readonly Scope[] = [...MENTOR_EMBED];

export const CALLERS: Readonly<Record<CallerClass, Caller>> = {
  ownKey: { class: 'ownKey', kind: 'key', valid: true, org: 'A', scopes: ALL, person: 'M1', roomLimit: null, about: "A's full key acting as M1 (mentor of R1 and R3)" },
  keyAsOutsider: { class: 'keyAsOutsider', kind: 'key', valid: true, org: 'A', scopes: ALL, person: 'E2', roomLimit: null, about: "A's full key acting as E2 (not in R1 or R3)" },
  keyAsObserver: { class: 'keyAsObserver', kind: 'key', valid: true, org: 'A', scopes: ALL, person: 'O1', roomLimit: null, about: "A's full key acting as O1 (observer of R1)" },
  reducedKey: { class: 'reducedKey', kind: 'key', valid: true, org: 'A', scopes: new Set(REDUCED_SCOPES), person: null, roomLimit: null, about: "A's key with threads:read only" },
  foreignKey: { class: 'foreignKey', kind: 'key', valid: true, org: 'B', scopes: ALL, person: 'GB', roomLimit: null, about: "B's full key acting as GB" },
  revokedKey: { class: 'revokedKey', kind: 'key', valid: false, org: 'A', scopes: ALL, person: null, roomLimit: null, about: "A's revoked key" },
  mentor: { class: 'mentor', kind: 'token', valid: true, org: 'A', scopes: MENTOR_EMBED, person: 'M1', roomLimit: null, about: 'M1 token (mentor of R1, R3; embed scopes + rooms:write)' },
  mentee: { class: 'mentee', kind: 'token', valid: true, org: 'A', scopes: EMBED, person: 'E1', roomLimit: null, about: 'E1 token (mentee of R1, R3)' },
  observer: { class: 'observer', kind: 'token', valid: true, org: 'A', scopes: EMBED, person: 'O1', roomLimit: null, about: 'O1 token (observer of R1)' },
  roomLimited: { class: 'roomLimited', kind: 'token', valid: true, org: 'A', scopes: EMBED, person: 'E1', roomLimit: ['R3'], about: 'E1 token limited to roomIds [R3]' },
  admin: { class: 'admin', kind: 'token', valid: true, org: 'A', scopes: ADMIN_EMBED, person: 'AD', roomLimit: null, about: 'AD token (organization admin in no room; every scope, as the admin console; adminContentAccess off)' },
  scopedMember: { class: 'scopedMember', kind: 'token', valid: true, org: 'A', scopes: ALL, person: 'M2', roomLimit: null, about: 'M2 token with every scope, org:admin and people:write included (mentor of R2, not an admin: the scope is not the role)' },
  nonMember: { class: 'nonMember', kind: 'token', valid: true, org: 'A', scopes: EMBED, person: 'E2', roomLimit: null, about: 'E2 token (mentee of R2 only)' },
  deactivated: { class: 'deactivated', kind: 'token', valid: false, org: 'A', scopes: EMBED, person: 'D', roomLimit: null, about: 'D token, D deactivated afterwards' },
  anonymous: { class: 'anonymous', kind: 'none', valid: false, org: 'A', scopes: new Set(), person: null, roomLimit: null, about: 'no credential' },
};

// ---- The rules, restated over the model ----

/**
 * Administers the organization (people, API keys, origins, integrations): a key (its scopes are
 * the gate's business), or a token of a person with the admin role that carries org:admin.
 */
export function administers(c: Caller): boolean {
  return c.kind === 'key' || (isAdmin(c.person) && c.scopes.has('org:admin'));
}

/** Keys and admins see the whole organization: its rooms, people and program metrics. */
export function orgWide(c: Caller): boolean {
  return c.kind === 'key' || (c.person !== null && PEOPLE[c.person].roles.includes('admin'));
}

export function isAdmin(person: PersonKey | null): boolean {
  return person !== null && PEOPLE[person].roles.includes('admin');
}

/** A signed-in credential of this organization. */
export function inOrg(c: Caller, org: OrgKey): boolean {
  return c.valid && c.org === org;
}

export function roleIn(c: Caller, room: RoomKey): RoomRole | null {
  return c.person === null ? null : ROOMS[room].members[c.person] ?? null;
}

export function withinLimit(c: Caller, room: RoomKey): boolean {
  return c.roomLimit === null || c.roomLimit.includes(room);
}

/** Reads a room: its details, members, roadmaps, attention and check-in trends. */
export function readsRoom(c: Caller, room: RoomKey): boolean {
  return inOrg(c, ROOMS[room].org) && withinLimit(c, room) && (orgWide(c) || roleIn(c, room) !== null);
}

/**
 * Reads what people wrote in rooms they are not in: API keys only (integrations acting for the
 * organization). Admins do not while their organization's adminContentAccess is off, as in the
 * matrix (test/admin-privacy.test.ts covers it on, audited).
 */
export function readsEveryRoomContent(c: Caller): boolean {
  return c.kind === 'key';
}

/** Reads a room's content: messages, notes, resources, check-ins, feedback and requests, learnings, live events. */
export function readsRoomContent(c: Caller, room: RoomKey): boolean {
  return readsRoom(c, room) && (readsEveryRoomContent(c) || roleIn(c, room) !== null);
}

/**
 * Contributes to a room: its mentors and mentees, or the organization itself (an admin who does
 * not observe the room, or a key naming no one). A key acting as someone has that person's rights.
 */
export function contributes(c: Caller, room: RoomKey): boolean {
  const role = roleIn(c, room);
  if (role === 'mentor' || role === 'mentee') return true;
  if (role === 'observer') return false;
  return c.person === null ? orgWide(c) : isAdmin(c.person);
}

/** Manages a room (details, members): keys, admins and the room's mentors. */
export function manages(c: Caller, room: RoomKey): boolean {
  return orgWide(c) || roleIn(c, room) === 'mentor';
}

export function readsThread(c: Caller, thread: ThreadKey): boolean {
  const t = THREADS[thread];
  if (!inOrg(c, t.org)) return false;
  if (t.room === null) return true;
  if (c.roomLimit !== null) return c.roomLimit.includes(t.room) && (readsEveryRoomContent(c) || roleIn(c, t.room) !== null);
  return readsEveryRoomContent(c) || roleIn(c, t.room) !== null || c.person === t.author;
}

export function postFacts(post: PostKey): { org: OrgKey; room: RoomKey | null; author: PersonKey; audience: Audience; thread: ThreadKey } {
  const p = POSTS[post];
  const t = THREADS[p.thread];
  return { org: t.org, room: t.room, author: t.author, audience: p.audience, thread: p.thread };
}

export function readsPost(c: Caller, post: PostKey): boolean {
  const p = postFacts(post);
  if (!inOrg(c, p.org)) return false;
  if (p.audience !== 'room') return true;
  if (p.author === c.person && c.roomLimit === null) return true;
  if (p.room === null || !withinLimit(c, p.room)) return false;
  return readsEveryRoomContent(c) || roleIn(c, p.room) !== null;
}

/** Edits a roadmap: the room's mentors, the organization (admins, keys naming no one), and the owning mentee. */
export function editsRoadmap(c: Caller, roadmap: RoadmapKey): boolean {
  const r = ROADMAPS[roadmap];
  const role = roleIn(c, r.room);
  if (role === 'mentor') return true;
  if (role !== 'observer' && (c.person === null ? orgWide(c) : isAdmin(c.person))) return true;
  return role === 'mentee' && c.person === r.owner;
}

/**
 * May see people's contact details (email, external id): signed-in callers of the organization
 * with a scope that shows full people (the directory, rooms and their members and authors,
 * roadmaps). Growth threads, posts and comments show public profiles only, so a feed-only key
 * sees no email.
 */
export function seesContactDetails(c: Caller, org: OrgKey): boolean {
  return inOrg(c, org) && (['people:read', 'rooms:read', 'roadmaps:read'] as const).some((s) => c.scopes.has(s));
}
