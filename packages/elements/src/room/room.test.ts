/**
 * <menteo-room> against the real server app (in the page through `@menteo/mock`): rooms, messages,
 * notes and resources are created through the API, failures come from the mock's fault builders.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/room.js';
import type { MenteoRoom } from './room.js';
import type { MenteoClient } from '@menteo/client';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { mountAs, recordLive, recordRequests, useWorld, type RoomSet } from '../test-support/real-api.js';
import type { MenteoActionItemToggleEvent, MenteoMessageCreateEvent } from '../events.js';

const world = useWorld();

/** A room with a message, a session note with an action item, and a resource, all by the mentor. */
async function setup(status: 'active' | 'archived' = 'active'): Promise<RoomSet> {
  const set = await world.newRoom('Frontend craft');
  const as = world.as(set.mentor);
  await as.rooms.messages.create(set.room.id, { body: 'Welcome <b>aboard</b>' });
  await as.rooms.notes.create(set.room.id, { sessionDate: '2026-11-20', summary: 'We talked about **reviews**.', actionItems: [{ text: 'Review one PR' }] });
  await as.rooms.resources.create(set.room.id, { title: 'Code review guide', url: 'https://example.com/guide', note: 'Start here' });
  if (status === 'archived') await world.admin.rooms.update(set.room.id, { status: 'archived' });
  return set;
}

async function mount(set: RoomSet, client?: MenteoClient) {
  const { el } = await mountAs<MenteoRoom>(world, set.mentee, 'menteo-room', { 'room-id': set.room.id }, client ? { client } : {});
  await until(() => el.shadowRoot?.querySelector('.header, .state--error'), 'the room');
  return el;
}

describe('<menteo-room>', () => {
  it('shows title, purpose, members with roles and the conversation, and passes axe', async () => {
    const set = await setup();
    const el = await mount(set);
    expect($(el, 'h2').textContent).to.equal('Frontend craft');
    expect(el.shadowRoot?.textContent).to.contain('Grow into a confident reviewer');
    expect($$(el, '.members li').map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).to.deep.equal(['MMMax MentorMentor', 'MMMia MenteeMentee']);
    expect($(el, '.message').textContent).to.contain('Welcome <b>aboard</b>');
    expect($(el, '.message').querySelector('b')).to.equal(null);
    await expectAccessible(el);
  });

  it('switches sections with the arrow keys (tabs pattern)', async () => {
    const el = await mount(await setup());
    $(el, '[role=tab][aria-selected=true]').focus();
    await sendKeys({ press: 'ArrowRight' });
    await until(() => deepActiveElement()?.textContent?.trim() === 'Session notes', 'notes tab focused');
    expect($(el, '[role=tabpanel]').textContent).to.contain('reviews');
    await sendKeys({ press: 'ArrowRight' });
    await until(() => $(el, '[role=tabpanel]').textContent?.includes('Code review guide'), 'resources');
    expect($(el, '.resource a').getAttribute('href')).to.equal('https://example.com/guide');
    await sendKeys({ press: 'End' });
    await until(() => deepActiveElement()?.textContent?.trim() === 'Check-in', 'last tab');
    await sendKeys({ press: 'Home' });
    await until(() => deepActiveElement()?.textContent?.trim() === 'Conversation', 'first tab');
    await expectAccessible(el);
  });

  it('ticks an action item optimistically and rolls back on failure', async () => {
    const set = await setup();
    const el = await mount(set);
    el.tab = 'notes';
    await el.updateComplete;
    const events: MenteoActionItemToggleEvent[] = [];
    el.addEventListener('menteo-action-item-toggle', (e) => events.push(e));
    const held = world.mock.faults.hold({ method: 'PATCH', path: /\/action-items\//, times: 1 });
    world.mock.use(held.handler);
    $<HTMLInputElement>(el, '.item input').click();
    await until(() => held.hits === 1, 'the update in flight');
    expect($<HTMLInputElement>(el, '.item input').checked).to.equal(true);
    await expectAccessible(el);
    held.release();
    await until(() => events.length === 1, 'toggle event');
    expect(events[0]?.item.done).to.equal(true);
    const [note] = await world.admin.rooms.notes.list(set.room.id).toArray(1);
    expect(note?.actionItems[0]?.done).to.equal(true);
    world.mock.use(world.mock.faults.status(500, { method: 'PATCH', path: /\/action-items\// }).handler);
    $<HTMLInputElement>(el, '.item input').click();
    await until(() => $(el, '[data-announcer=assertive]').textContent?.includes('was not updated'), 'rollback');
    expect($<HTMLInputElement>(el, '.item input').checked).to.equal(true);
    await expectAccessible(el);
  });

  it('sends a message and receives others live', async () => {
    const set = await setup();
    const client = world.clientFor(set.mentee);
    const subs = recordLive(client);
    const el = await mount(set, client);
    await until(() => subs.at(-1)?.state === 'open', 'the live stream');
    const created: MenteoMessageCreateEvent[] = [];
    el.addEventListener('menteo-message-create', (e) => created.push(e));
    const sent = recordRequests(world, 'POST', /\/messages$/);
    const ta = $<HTMLTextAreaElement>(el, '.composer textarea');
    ta.value = 'Thanks!';
    ta.dispatchEvent(new InputEvent('input'));
    $<HTMLButtonElement>(el, '.composer button').click();
    await until(() => created.length === 1 && !el.shadowRoot?.querySelector('.message--pending'), 'sent');
    sent.stop();
    expect(sent.length).to.equal(1);
    expect(sent[0]?.idempotencyKey).to.be.a('string');
    // Its own message also comes back on the stream: it is shown once.
    await world.as(set.mentor).rooms.messages.create(set.room.id, { body: 'See you Tuesday' });
    await until(() => $$(el, '.message').at(-1)?.textContent?.includes('See you Tuesday'), 'live message');
    expect($$(el, '.message').length).to.equal(3);
    expect($$(el, '.message').filter((m) => m.textContent?.includes('Thanks!')).length).to.equal(1);
    expect($(el, '[data-announcer=polite]').textContent).to.contain('New message from Max Mentor');
    const stored = await world.admin.rooms.messages.list(set.room.id).toArray(10);
    expect(stored.map((m) => m.body)).to.have.members(['Welcome <b>aboard</b>', 'Thanks!', 'See you Tuesday']);
  });

  it('says an archived room is read-only and offers no way to write', async () => {
    const el = await mount(await setup('archived'));
    expect($(el, '[part=archived-notice]').textContent).to.contain('archived');
    expect(el.shadowRoot?.querySelector('.composer')).to.equal(null);
    el.tab = 'notes';
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '.item input').disabled).to.equal(true);
    await expectAccessible(el);
  });

  it('shows an error with a retry when the room cannot load, then recovers', async () => {
    const set = await setup();
    world.mock.use(world.mock.faults.status(503, { method: 'GET', path: `/v1/rooms/${set.room.id}` }).handler);
    const el = await mount(set);
    expect($(el, '.state--error').getAttribute('role')).to.equal('alert');
    await expectAccessible(el);
    world.mock.resetFaults();
    $(el, '.state--error button').click();
    await until(() => el.shadowRoot?.querySelector('h2')?.textContent === 'Frontend craft', 'the room');
  });
});
