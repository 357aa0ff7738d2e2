// `matchingApi` against the real server over HTTP: profiles, suggestions with reasons, a request
// accepted into a room with the capacity refusal as a typed error; an admin run locked, swapped,
// re-run and published; and the typed conflict naming the broken rule.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, isMenteoError, programsApi, type MenteoClient } from '../src/index.js';
import { matchingApi } from '../src/matching.js';
import { startServer, type TestServer } from './support/server.js';

describe('client matching namespace', () => {
  let server: TestServer;
  let admin: MenteoClient;
  const as = (personId: string) => matchingApi(createClient({ baseUrl: server.url, apiKey: server.apiKey, actAs: personId }));
  let n = 0;

  /** A cohort from a template, two mentors (capacity 1) and two mentees, profiles filled in. */
  async function cohortWith(): Promise<{ cohortId: string; ids: Record<'ada' | 'ben' | 'cat' | 'dan', string> }> {
    const programs = programsApi(admin);
    const program = await programs.create({ name: `Mentoring ${++n}` });
    const template = await programs.templates.create(program.id, { name: 'Month one', horizonDays: 30, milestones: [{ title: 'Goals', dayOffset: 7 }] });
    const cohortId = (await programs.cohorts.create(program.id, { name: 'Spring', startDate: '2026-03-02', endDate: '2026-06-01', templateId: template.id })).id;
    const ids = { ada: '', ben: '', cat: '', dan: '' };
    for (const [key, role, skill] of [['ada', 'mentor', 'testing'], ['ben', 'mentor', 'design'], ['cat', 'mentee', 'testing'], ['dan', 'mentee', 'design']] as const) {
      ids[key] = (await admin.people.create({ displayName: `${key} ${n}` })).id;
      await programs.cohorts.enrol(cohortId, ids[key], role);
      await as(ids[key]).profile.update(
        role === 'mentor'
          ? { offers: [skill], capacity: 1, timeZone: 'Europe/Paris', languages: ['en'] }
          : { wants: [skill], goals: `better ${skill}`, timeZone: 'Europe/Paris', languages: ['en'] },
      );
    }
    return { cohortId, ids };
  }

  before(async () => {
    server = await startServer();
    admin = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  });
  after(() => server.close());

  it('self-serve: suggestions with coded reasons, a request accepted into a room, then capacity refused as a typed conflict', async () => {
    const { cohortId, ids } = await cohortWith();
    const cat = as(ids.cat);
    const { items } = await cat.suggestions(cohortId);
    assert.equal(items[0]?.mentor.id, ids.ada, 'the mentor offering the wanted skill comes first');
    assert.deepEqual(items[0]?.factors.find((f) => f.factor === 'skills')?.code, 'skills.shared');

    const request = await cat.requests.create({ cohortId, mentorId: ids.ada, message: 'Hello' });
    assert.equal(request.status, 'pending');
    const accepted = await as(ids.ada).requests.respond(request.id, { decision: 'accept' });
    assert.equal(accepted.status, 'accepted');
    assert.ok(accepted.roomId, 'accepting opens a room');
    assert.equal((await admin.rooms.get(accepted.roomId)).members.length, 2);

    // Ada's only seat is taken: Dan's request to her is refused naming the constraint.
    const refused = await as(ids.dan).requests.create({ cohortId, mentorId: ids.ada }).then(() => undefined, (e: unknown) => e);
    assert.ok(isMenteoError(refused));
    assert.deepEqual([refused.status, refused.code, (refused as { field?: string }).field], [409, 'conflict', 'capacity']);
  });

  it('admins: completeness, a run kept with its inputs, a swap (both pairs locked), a re-run around the locks, and a publish that opens the rooms', async () => {
    const { cohortId, ids } = await cohortWith();
    const api = matchingApi(admin);
    const completeness = await api.profiles.completeness(cohortId);
    assert.equal(completeness.mentees.people, 2);
    const run = await api.runs.create(cohortId);
    assert.equal(run.status, 'draft');
    assert.deepEqual(run.pairs.map((p) => [p.mentee.id, p.mentor.id]).sort(), [[ids.cat, ids.ada], [ids.dan, ids.ben]].sort());
    assert.ok(run.pairs.every((p) => p.factors.length === 6 && p.score > 0), 'every pair carries its factors');
    const inputs = await api.runs.inputs(run.id);
    assert.equal(inputs.runId, run.id);
    assert.equal(inputs.profiles.length, 4);
    // A swap is refused by nothing here: both pairs become locked, and a re-run keeps them.
    const swapped = await api.runs.swap(run.id, [ids.cat, ids.dan]);
    assert.deepEqual(swapped.pairs.map((p) => [p.mentee.id, p.mentor.id, p.locked]).sort(), [[ids.cat, ids.ben, true], [ids.dan, ids.ada, true]].sort());
    const again = await api.runs.rerun(run.id);
    assert.equal(again.basedOn, run.id);
    assert.deepEqual((await api.runs.list(cohortId).toArray(10)).map((r) => r.status).sort(), ['draft', 'superseded']);
    const published = await api.runs.publish(again.id);
    assert.equal(published.status, 'published');
    assert.deepEqual(published.pairs.map((p) => [p.mentee.id, p.mentor.id]).sort(), [[ids.cat, ids.ben], [ids.dan, ids.ada]].sort(), 'the re-run kept the locks');
    assert.ok(published.pairs.every((p) => p.roomId !== null), 'publishing opens a room per pair');
  });
});
