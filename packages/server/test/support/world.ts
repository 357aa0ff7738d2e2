// A small organization to test rules against: an admin, a mentor, two mentees, an observer and
// an outsider, one room, and a second organization that must stay invisible.
import assert from 'node:assert/strict';
import type { AccessToken, EmbedSession, Person, Room } from '@menteo/api';
import { createOrganization } from '../../src/index.js';
import type { Reply, TestServer } from './server.js';

/** Asserts a status, showing the body when it differs. */
export function expectStatus(reply: Reply, status: number, code?: string): void {
  assert.equal(reply.status, status, `expected ${status}, got ${reply.status}: ${reply.text.slice(0, 400)}`);
  if (code !== undefined) assert.equal((reply.body as { code?: string }).code, code, reply.text);
}

/** The fixture. */
export interface World {
  admin: Person;
  mentor: Person;
  mentee: Person;
  mentee2: Person;
  observer: Person;
  outsider: Person;
  room: Room;
  /** A second organization's API key and room. */
  other: { apiKey: string; roomId: string; personId: string };
}

/** Creates a person with the organization key. */
export async function person(server: TestServer, displayName: string, roles?: string[]): Promise<Person> {
  const r = await server.call<Person>('POST', '/v1/people', { body: { displayName, ...(roles ? { roles } : {}) } });
  expectStatus(r, 201);
  return r.body;
}

/** Mints an access token for a person through an embed session and the exchange. */
export async function tokenFor(server: TestServer, personId: string, session: Record<string, unknown> = {}): Promise<string> {
  const s = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { personId, ...session } });
  expectStatus(s, 201);
  const t = await server.call<AccessToken>('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret } });
  expectStatus(t, 200);
  return t.body.accessToken;
}

/** Builds the fixture on a fresh server. */
export async function buildWorld(server: TestServer): Promise<World> {
  const admin = await person(server, 'Ada Admin', ['admin']);
  const mentor = await person(server, 'Mia Mentor', ['mentor']);
  const mentee = await person(server, 'Tom Mentee');
  const mentee2 = await person(server, 'Tia Mentee');
  const observer = await person(server, 'Oli Observer');
  const outsider = await person(server, 'Otto Outsider');
  const r = await server.call<Room>('POST', '/v1/rooms', {
    body: {
      title: 'Frontend growth', purpose: 'Grow into a senior frontend engineer',
      members: [{ personId: mentor.id, role: 'mentor' }, { personId: mentee.id, role: 'mentee' }, { personId: mentee2.id, role: 'mentee' }, { personId: observer.id, role: 'observer' }],
    },
  });
  expectStatus(r, 201);
  const other = await createOrganization(server.db, { name: 'Globex' });
  const otherPerson = await server.call<Person>('POST', '/v1/people', { auth: other.apiKey.secret, body: { displayName: 'Gus Globex' } });
  expectStatus(otherPerson, 201);
  const otherRoom = await server.call<Room>('POST', '/v1/rooms', { auth: other.apiKey.secret, body: { title: 'Globex room', members: [{ personId: otherPerson.body.id, role: 'mentee' }] } });
  expectStatus(otherRoom, 201);
  return { admin, mentor, mentee, mentee2, observer, outsider, room: r.body, other: { apiKey: other.apiKey.secret, roomId: otherRoom.body.id, personId: otherPerson.body.id } };
}
