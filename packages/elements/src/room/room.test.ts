import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/room.js';
import type { MenteoRoom } from './room.js';
import { $, $$, cleanupBody, deepActiveElement, expectAccessible, mountInProvider, until } from '../test-support/index.js';
import { FakeClient, fakeId, liveEvent, person } from '../test-support/fake-client.js';
import type { Room, SessionNote } from '@menteo/api/rooms';
import type { MenteoActionItemToggleEvent } from '../events.js';

const t = new Date().toISOString();

function setup(status: Room['status'] = 'active') {
  const fake = new FakeClient();
  const roomId = fakeId('room');
  const mentor = person('Max Mentor');
  fake.rooms.push({
    id: roomId, title: 'Frontend craft', purpose: 'Grow into a confident reviewer', status, roadmapId: null, createdAt: t, updatedAt: t,
    members: [{ person: mentor, role: 'mentor', joinedAt: t }, { person: fake.viewer, role: 'mentee', joinedAt: t }],
  });
  fake.messages.push({ id: fakeId('msg'), roomId, author: mentor, body: 'Welcome <b>aboard</b>', createdAt: t });
  const note: SessionNote = {
    id: fakeId('note'), roomId, author: mentor, sessionDate: '2026-11-20', summary: 'We talked about **reviews**.', createdAt: t, updatedAt: t,
    actionItems: [{ id: fakeId('act'), text: 'Review one PR', ownerId: null, dueDate: null, done: false, doneAt: null }],
  };
  fake.notes.push(note);
  fake.resources.push({ id: fakeId('res'), roomId, title: 'Code review guide', url: 'https://example.com/guide', note: 'Start here', addedBy: mentor, createdAt: t });
  return { fake, roomId, mentor };
}

async function mount(fake: FakeClient, roomId: string) {
  const { el } = await mountInProvider<MenteoRoom>(fake.asClient(), 'menteo-room', {}, document.body, { 'room-id': roomId });
  await until(() => el.shadowRoot?.querySelector('.header, .state--error'), 'the room');
  return el;
}

afterEach(cleanupBody);

describe('<menteo-room>', () => {
  it('shows title, purpose, members with roles and the conversation, and passes axe', async () => {
    const { fake, roomId } = setup();
    const el = await mount(fake, roomId);
    expect($(el, 'h2').textContent).to.equal('Frontend craft');
    expect($$(el, '.members li').map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).to.deep.equal(['MMMax MentorMentor', 'ALAda LovelaceMentee']);
    expect($(el, '.message').textContent).to.contain('Welcome <b>aboard</b>');
    await expectAccessible(el);
  });

  it('switches sections with the arrow keys (tabs pattern)', async () => {
    const { fake, roomId } = setup();
    const el = await mount(fake, roomId);
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
    const { fake, roomId } = setup();
    const el = await mount(fake, roomId);
    el.tab = 'notes';
    await el.updateComplete;
    const events: MenteoActionItemToggleEvent[] = [];
    el.addEventListener('menteo-action-item-toggle', (e) => events.push(e));
    $<HTMLInputElement>(el, '.item input').click();
    await until(() => events.length === 1, 'toggle event');
    expect(events[0]?.item.done).to.equal(true);
    fake.fail('notes.updateActionItem');
    $<HTMLInputElement>(el, '.item input').click();
    await until(() => $(el, '[data-announcer=assertive]').textContent?.includes('was not updated'), 'rollback');
    expect($<HTMLInputElement>(el, '.item input').checked).to.equal(true);
    await expectAccessible(el);
  });

  it('sends a message and receives others live', async () => {
    const { fake, roomId, mentor } = setup();
    const el = await mount(fake, roomId);
    const ta = $<HTMLTextAreaElement>(el, '.composer textarea');
    ta.value = 'Thanks!';
    ta.dispatchEvent(new InputEvent('input'));
    $<HTMLButtonElement>(el, '.composer button').click();
    await until(() => fake.calledWith('messages.create').length === 1 && !el.shadowRoot?.querySelector('.message--pending'), 'sent');
    await until(() => fake.live, 'subscription');
    fake.live!.emit(liveEvent('message.created', { id: fakeId('msg'), roomId, author: mentor, body: 'See you Tuesday', createdAt: new Date().toISOString() }));
    await until(() => $$(el, '.message').length === 3, 'live message');
    expect($$(el, '.message').at(-1)?.textContent).to.contain('See you Tuesday');
    expect($(el, '[data-announcer=polite]').textContent).to.contain('New message from Max Mentor');
  });

  it('says an archived room is read-only and offers no way to write', async () => {
    const { fake, roomId } = setup('archived');
    const el = await mount(fake, roomId);
    expect($(el, '[part=archived-notice]').textContent).to.contain('archived');
    expect(el.shadowRoot?.querySelector('.composer')).to.equal(null);
    el.tab = 'notes';
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '.item input').disabled).to.equal(true);
    await expectAccessible(el);
  });
});
