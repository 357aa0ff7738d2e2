// `client.program` summary and export against the real server over HTTP: the summary parses
// against the contract, a cohort narrows it, and the export arrives as a stream of CSV.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, isMenteoError, type MenteoClient } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

describe('client program health', () => {
  let server: TestServer;
  let admin: MenteoClient;

  before(async () => {
    server = await startServer();
    admin = createClient({ baseUrl: server.url, apiKey: server.apiKey });
    const mentor = await admin.people.create({ displayName: 'Maya Mentor' });
    const mentee = await admin.people.create({ displayName: 'Milo, "the" Mentee' });
    await admin.rooms.create({ title: 'Pairing', members: [{ personId: mentor.id, role: 'mentor' }, { personId: mentee.id, role: 'mentee' }] });
  });
  after(() => server.close());

  it('summarizes the organization', async () => {
    const summary = await admin.program.summary();
    assert.equal(summary.cohortId, null);
    assert.deepEqual(summary.rooms, { total: 1, active: 1, stalled: 0, finished: 0 });
    assert.deepEqual(summary.mentorLoad.map((m) => [m.displayName, m.mentees]), [['Maya Mentor', 1]]);
  });

  it('refuses an unknown cohort with a typed 404 on cohortId', async () => {
    await assert.rejects(admin.program.summary({ cohortId: 'coh_00000000000000000000000000' }), (e: unknown) => isMenteoError(e) && e.status === 404 && e.field === 'cohortId');
  });

  it('streams the people export as CSV', async () => {
    const stream = await admin.program.export({ kind: 'people', format: 'csv' });
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
    const lines = text.split('\r\n');
    assert.equal(lines[0], 'personId,externalId,displayName,email,roles,active,enrolments');
    assert.ok(lines.some((l) => l.includes('"Milo, ""the"" Mentee"')), text);
  });
});
