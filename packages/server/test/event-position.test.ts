// Where an answer stands in the event log (http/event-position.ts): an organization's GET carries
// the last event id committed before its read, and the upper bound of events committed while it
// ran; writes, streams, errors and other organizations' events stay out of it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getRoom } from '@menteo/api/rooms';
import { withEventPosition } from '../src/http/event-position.js';
import { insertEvent } from '../src/events/store.js';
import { createOrganization } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
let roomId: string;

before(async () => {
  server = await startServer();
  const room = await server.call<{ id: string }>('POST', '/v1/rooms', { body: { title: 'Positions' } });
  roomId = room.body.id;
});
after(async () => {
  await server.close();
});

async function lastEventOf(orgId: string): Promise<number> {
  const row = await server.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).where('org_id', '=', orgId).executeTakeFirst();
  return Number(row?.id ?? 0);
}

function writeEvent(orgId: string) {
  return server.db.transaction().execute((trx) =>
    insertEvent(trx, { orgId, event: { type: 'room.updated', occurredAt: new Date().toISOString(), roomId: null, data: {} } as never }));
}

async function get(path: string, prefer: string | null = 'event-position') {
  const headers: Record<string, string> = { authorization: `Bearer ${server.apiKey}` };
  if (prefer !== null) headers.prefer = prefer;
  const response = await fetch(`${server.url}${path}`, { headers });
  await response.text();
  return response;
}

test('a GET answers the last event of the organization committed before it read', async () => {
  const before = await lastEventOf(server.orgId);
  assert.ok(before > 0, 'creating the room wrote an event');
  const response = await get(`/v1/rooms/${roomId}/messages`);
  assert.equal(response.headers.get('menteo-event-position'), String(before));
  assert.equal(response.headers.get('menteo-event-position-upper'), null);
  assert.equal(response.headers.get('preference-applied'), 'event-position');
  assert.match(response.headers.get('vary') ?? '', /\bPrefer\b/);
});

test('only a GET that asks (Prefer: event-position, among other preferences) gets it', async () => {
  assert.equal((await get(`/v1/rooms/${roomId}`, null)).headers.get('menteo-event-position'), null);
  assert.equal((await get(`/v1/rooms/${roomId}`, 'return=minimal')).headers.get('menteo-event-position'), null);
  assert.match((await get(`/v1/rooms/${roomId}`, 'return=minimal, Event-Position')).headers.get('menteo-event-position') ?? '', /^\d+$/);
});

test('another organization\'s events neither move the position nor show in it', async () => {
  const other = await createOrganization(server.db, { name: 'Other' });
  const mine = await lastEventOf(server.orgId);
  await writeEvent(other.organization.id);
  const response = await get(`/v1/rooms/${roomId}`);
  assert.equal(response.headers.get('menteo-event-position'), String(mine));
});

test('events committed while the read ran give the upper bound', async () => {
  const before = await lastEventOf(server.orgId);
  let last = 0;
  const asking = new Request('http://menteo.test/v1/rooms/x', { headers: { prefer: 'event-position' } });
  const response = await withEventPosition(server.db, getRoom, server.orgId, asking, async () => {
    await writeEvent(server.orgId);
    last = (await writeEvent(server.orgId)).id;
    return new Response('{}', { status: 200 });
  });
  assert.equal(response.headers.get('Menteo-Event-Position'), String(before));
  assert.equal(response.headers.get('Menteo-Event-Position-Upper'), String(last));
});

test('writes, errors and anonymous answers carry no position', async () => {
  const write = await fetch(`${server.url}/v1/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Another' }),
  });
  await write.text();
  assert.equal(write.status, 201);
  assert.equal(write.headers.get('menteo-event-position'), null);
  const missing = await get('/v1/rooms/room_00000000000000000000000000');
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('menteo-event-position'), null);
  const health = await fetch(`${server.url}/v1/health`);
  await health.text();
  assert.equal(health.headers.get('menteo-event-position'), null);
});
