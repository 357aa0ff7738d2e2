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
import { applyTextSpacing, clippedText, focusIndicatorProblem, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { mountAs, recordLive, recordRequests, useWorld, type RoomSet } from '../test-support/real-api.js';
import type { MenteoActionItemToggleEvent, MenteoMessageCreateEvent, MenteoNoteCreateEvent, MenteoResourceCreateEvent } from '../events.js';
import type { Person } from '@menteo/api/people';
import { describe as describeElement } from '../test-support/a11y.js';

/** A short name for failure messages (chai would print a whole DOM graph). */
const nameOf = (e: Element | null | undefined) => (e ? describeElement(e) : 'nothing');

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

async function mount(set: RoomSet, client?: MenteoClient, as: Person = set.mentee, attrs: Record<string, string> = {}) {
  const { el } = await mountAs<MenteoRoom>(world, as, 'menteo-room', { 'room-id': set.room.id, ...attrs }, client ? { client } : {});
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
    await until(() => deepActiveElement()?.textContent?.trim() === 'Learning log', 'last tab');
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
    expect((el.shadowRoot?.querySelector('.composer')) == null).to.equal(true);
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

  it('keeps keyboard focus on Send after sending a message (it fell to <body>)', async () => {
    const set = await setup();
    const el = await mount(set);
    const created: MenteoMessageCreateEvent[] = [];
    el.addEventListener('menteo-message-create', (e) => created.push(e));
    const ta = $<HTMLTextAreaElement>(el, '.composer textarea');
    ta.value = 'On my way';
    ta.dispatchEvent(new InputEvent('input'));
    const send = $<HTMLButtonElement>(el, '.composer button');
    send.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => created.length === 1, 'sent');
    await el.updateComplete;
    expect(deepActiveElement() === send, `focus on ${nameOf(send)}, not ${nameOf(deepActiveElement())}`).to.equal(true);
  });
});

describe('<menteo-room> tabs: layout, forced colours, lazy loading', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
  });

  // First in its block: later keyboard tests pass through the Check-ins tab and load it.
  it('loads the elements of a tab only when it is first opened', async () => {
    const el = await mount(await setup());
    expect(customElements.get('menteo-check-in-history') === undefined, 'menteo-check-in-history not loaded yet').to.equal(true);
    expect(customElements.get('menteo-feedback-exchange') === undefined, 'menteo-feedback-exchange not loaded yet').to.equal(true);
    el.tab = 'check-in';
    await until(() => customElements.get('menteo-check-in-history'), 'check-in history defined');
    expect(customElements.get('menteo-feedback-exchange') === undefined, 'menteo-feedback-exchange not loaded yet').to.equal(true);
  });

  it('leaves out the Roadmap tab with hide-roadmap, for pages that show the roadmap beside the room', async () => {
    const set = await setup();
    const el = await mount(set, undefined, set.mentee, { 'hide-roadmap': '' });
    expect($$(el, '[role=tab]').map((t) => t.textContent?.trim())).to.deep.equal(['Conversation', 'Session notes', 'Resources', 'Check-ins', 'Feedback', 'Learning log']);
    $(el, '[role=tab][aria-selected=true]').focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => deepActiveElement()?.textContent?.trim() === 'Resources', 'skips the missing tab');
  });

  it('shows every tab at 320 px, none hidden behind a scroll edge, and no focus ring clipped', async () => {
    await viewport(320);
    const set = await setup();
    const el = await mount(set);
    const list = $(el, '[role=tablist]');
    const box = list.getBoundingClientRect();
    for (const tab of $$(el, '[role=tab]')) {
      const r = tab.getBoundingClientRect();
      expect(r.left >= box.left - 0.5 && r.right <= box.right + 0.5, `${tab.textContent?.trim()} inside the tab list`).to.equal(true);
      // The focus ring (4 px) fits inside the tab list's padding box: nothing clips it.
      expect(r.top - box.top >= 3.5, `${tab.textContent?.trim()}'s ring room above`).to.equal(true);
    }
    expect(getComputedStyle(list).overflowX).to.equal('visible');
    expect(overflowingPage(el)).to.deep.equal([]);
    expect(clippedText(el)).to.deep.equal([]);
    // Under the WCAG 1.4.12 text-spacing override too, with the notes tab's form open.
    const undo = applyTextSpacing(el);
    el.tab = 'notes';
    await until(() => el.shadowRoot?.querySelector('[part=note-form]'), 'the note form');
    $<HTMLDetailsElement>(el, '[part=note-form]').open = true;
    await el.updateComplete;
    expect(overflowingPage(el)).to.deep.equal([]);
    expect(clippedText(el)).to.deep.equal([]);
    undo();
    await expectAccessible(el);
  });

  it('tells the selected tab apart in forced colours, with a visible focus indicator', async () => {
    const el = await mount(await setup());
    await forcedColors(true);
    const [selected, other] = [$(el, '[role=tab][aria-selected=true]'), $(el, '[role=tab][aria-selected=false]')];
    const bar = (t: Element) => getComputedStyle(t).borderBlockEndColor;
    const line = (t: Element) => getComputedStyle(t).textDecorationLine;
    expect(bar(selected)).not.to.equal(bar(other));
    expect(line(selected)).to.contain('underline');
    expect(line(other)).not.to.contain('underline');
    expect(await focusIndicatorProblem(selected)).to.equal('');
  });

});

describe('<menteo-room> writing: notes, action items, resources', () => {
  it('lets the mentor write a session note with action items (owner, due date) from the keyboard', async () => {
    const set = await setup();
    const el = await mount(set, undefined, set.mentor);
    el.tab = 'notes';
    await until(() => el.shadowRoot?.querySelector('[part=note-form] summary'), 'the note form');
    const created: MenteoNoteCreateEvent[] = [];
    el.addEventListener('menteo-note-create', (e) => created.push(e));
    const summary = $<HTMLElement>(el, '[part=note-form] summary');
    summary.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => $<HTMLDetailsElement>(el, '[part=note-form]').open, 'opened');
    await expectAccessible(el);
    const form = $<HTMLFormElement>(el, '[part=note-form] form');
    (form.querySelector('[name=sessionDate]') as HTMLInputElement).value = '2026-11-27';
    (form.querySelector('[name=summary]') as HTMLTextAreaElement).focus();
    await sendKeys({ type: 'Planned the on-call week' });
    (form.querySelector('[name=itemText]') as HTMLInputElement).focus();
    await sendKeys({ type: 'Shadow one shift' });
    (form.querySelector('[name=itemOwner]') as HTMLSelectElement).value = set.mentee.id;
    (form.querySelector('[name=itemDue]') as HTMLInputElement).value = '2026-12-04';
    // A second row, added from the keyboard, gets focus.
    const add = [...form.querySelectorAll('button')].find((b) => b.textContent?.includes('Add another'))!;
    add.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => form.querySelectorAll('[name=itemText]').length === 2 && deepActiveElement() === form.querySelectorAll('[name=itemText]')[1], 'second row focused');
    await sendKeys({ type: 'Read chapter 5' });
    const save = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    save.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => created.length === 1, 'note created');
    await el.updateComplete;
    expect(deepActiveElement() === save, `focus on ${nameOf(save)}, not ${nameOf(deepActiveElement())}`).to.equal(true);
    expect($(el, '.sent').textContent).to.contain('Session note saved');
    const [note] = await world.admin.rooms.notes.list(set.room.id).toArray(1);
    expect(note?.summary).to.equal('Planned the on-call week');
    expect(note?.actionItems.map((a) => ({ text: a.text, ownerId: a.ownerId, dueDate: a.dueDate }))).to.deep.equal([
      { text: 'Shadow one shift', ownerId: set.mentee.id, dueDate: '2026-12-04' },
      { text: 'Read chapter 5', ownerId: null, dueDate: null },
    ]);
    await until(() => $$(el, '.note').length === 2, 'shown');
    expect($(el, '.note').textContent).to.contain('Mia Mentee');
    await expectAccessible(el);
  });

  it('refuses a note without a summary and says which field', async () => {
    const set = await setup();
    const el = await mount(set, undefined, set.mentor);
    el.tab = 'notes';
    await until(() => el.shadowRoot?.querySelector('[part=note-form] form'), 'the note form');
    $<HTMLDetailsElement>(el, '[part=note-form]').open = true;
    const sent = recordRequests(world, 'POST', /\/notes$/);
    $<HTMLButtonElement>(el, '[part=note-form] button[type=submit]').click();
    await until(() => deepActiveElement()?.getAttribute('name') === 'summary', 'focus on the summary');
    expect(deepActiveElement()?.getAttribute('aria-invalid')).to.equal('true');
    sent.stop();
    expect(sent.length).to.equal(0);
    await expectAccessible(el);
  });

  it('lets the mentee share a resource, and keeps focus on Share', async () => {
    const set = await setup();
    const el = await mount(set);
    el.tab = 'resources';
    await until(() => el.shadowRoot?.querySelector('[part=resource-form] form'), 'the resource form');
    $<HTMLDetailsElement>(el, '[part=resource-form]').open = true;
    const created: MenteoResourceCreateEvent[] = [];
    el.addEventListener('menteo-resource-create', (e) => created.push(e));
    const form = $<HTMLFormElement>(el, '[part=resource-form] form');
    (form.querySelector('[name=title]') as HTMLInputElement).value = 'SLO workbook';
    (form.querySelector('[name=url]') as HTMLInputElement).value = 'https://sre.google/workbook/';
    const share = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    share.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => created.length === 1, 'shared');
    await el.updateComplete;
    expect(deepActiveElement() === share, `focus on ${nameOf(share)}, not ${nameOf(deepActiveElement())}`).to.equal(true);
    const stored = await world.admin.rooms.resources.list(set.room.id).toArray(5);
    expect(stored.map((r) => r.title)).to.have.members(['SLO workbook', 'Code review guide']);
    expect($(el, '.resource a').textContent).to.equal('SLO workbook');
    await expectAccessible(el);
  });

  it('offers observers and archived rooms no way to write notes, resources or check-ins', async () => {
    const observer = await world.person('Olga Observer');
    const set = await world.newRoom('Observed', [{ person: observer, role: 'observer' }]);
    const el = await mount(set, undefined, observer);
    for (const tab of ['notes', 'resources', 'check-in'] as const) {
      el.tab = tab;
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 50));
      expect((el.shadowRoot?.querySelector('[part=note-form], [part=resource-form], menteo-check-in')) == null, tab).to.equal(true);
    }
    await expectAccessible(el);
    const set2 = await setup('archived');
    const archived = await mount(set2, undefined, set2.mentor);
    for (const tab of ['notes', 'resources', 'check-in'] as const) {
      archived.tab = tab;
      await archived.updateComplete;
      await new Promise((r) => setTimeout(r, 50));
      expect((archived.shadowRoot?.querySelector('[part=note-form], [part=resource-form], menteo-check-in')) == null, tab).to.equal(true);
    }
    expect($(archived, '[role=tabpanel]').textContent).to.contain('Check-ins are closed in archived rooms.');
  });
});

describe('<menteo-room> practices: check-ins, feedback, learning log', () => {
  it("shows the mentor the mentee's past check-ins with a trend, and the mentee's new check-in arrives", async function () {
    // Mounts as the mentor and waits for a live event on top of the loads: more than the default 10 s on a busy machine.
    this.timeout(30_000);
    const set = await setup();
    const as = world.as(set.mentee);
    await as.checkIns.create(set.room.id, { progress: 'Drew the service diagram', confidence: 2 });
    await as.checkIns.create(set.room.id, { progress: 'Shadowed on-call', blockers: 'Broker access', confidence: 4 });
    const client = world.clientFor(set.mentor);
    const subs = recordLive(client);
    const el = await mount(set, client, set.mentor);
    el.tab = 'check-in';
    const history = await until(() => el.shadowRoot?.querySelector('menteo-check-in-history'), 'history');
    // The room's and the history's own subscriptions: a check-in sent before they are open is in neither the list nor the stream.
    await until(() => subs.length >= 2 && subs.every((s) => s.state === 'open'), 'the live streams');
    await until(() => history.shadowRoot?.querySelectorAll('[part=entry]').length === 2, 'two check-ins');
    expect(history.shadowRoot?.querySelector('[part=entry]')?.textContent).to.contain('Broker access');
    const chart = history.shadowRoot!.querySelector('svg[role=img]')!;
    expect(history.shadowRoot?.getElementById(chart.getAttribute('aria-labelledby')!)?.textContent).to.contain('Mia Mentee: confidence rose from 2 to 4 of 5 over 2 check-ins.');
    expect(history.shadowRoot?.querySelectorAll('polyline').length).to.equal(1);
    await expectAccessible(el);
    await as.checkIns.create(set.room.id, { progress: 'Led a review', confidence: 5 });
    await until(() => history.shadowRoot?.querySelectorAll('[part=entry]').length === 3, 'arrives live');
  });

  it('lets a mentee give feedback, and the mentor reads it as what was said about their guidance', async () => {
    const set = await setup();
    const mentee = await mount(set);
    mentee.tab = 'feedback';
    const exchange = await until(() => mentee.shadowRoot?.querySelector('menteo-feedback-exchange'), 'exchange');
    const form = await until(() => exchange.shadowRoot?.querySelector('menteo-feedback')?.shadowRoot?.querySelector('form'), 'feedback form');
    form.querySelectorAll<HTMLInputElement>('input[type=radio]')[4]!.click();
    const comment = form.querySelector('textarea')!;
    comment.value = 'Tracing a real alert made SLOs click';
    comment.dispatchEvent(new InputEvent('input'));
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await until(() => exchange.shadowRoot?.textContent?.includes('Tracing a real alert'), 'listed under given');
    await expectAccessible(mentee);
    mentee.remove();
    const mentor = await mount(set, undefined, set.mentor);
    mentor.tab = 'feedback';
    const ex2 = await until(() => mentor.shadowRoot?.querySelector('menteo-feedback-exchange'), 'exchange');
    await until(() => ex2.shadowRoot?.textContent?.includes('What your mentees said about your guidance'), 'the mentor list');
    const section = [...ex2.shadowRoot!.querySelectorAll('section')].find((s) => s.textContent?.includes('What your mentees said'))!;
    expect(section.textContent).to.contain('Tracing a real alert made SLOs click');
    expect(section.textContent).to.contain('5 of 5 (Exceptional)');
    await expectAccessible(mentor);
  });

  it("shows the mentor's learning log, with a form for the mentor only", async () => {
    const set = await setup();
    await world.as(set.mentor).learnings.create(set.room.id, { body: 'Explaining budgets exposed gaps in our doc', skills: ['observability'] });
    const mentee = await mount(set);
    mentee.tab = 'learning-log';
    const log = await until(() => mentee.shadowRoot?.querySelector('menteo-learning-log'), 'log');
    await until(() => log.shadowRoot?.querySelector('[part=entry]'), 'entry');
    expect((log.shadowRoot?.querySelector('form')) == null).to.equal(true);
    await expectAccessible(mentee);
  });
});
