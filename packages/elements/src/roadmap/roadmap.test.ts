/**
 * <menteo-roadmap> against the real server app (in the page through `@menteo/mock`): roadmaps are
 * created through the API, failures and timing come from the mock's fault builders.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/roadmap.js';
import type { MenteoRoadmap } from './roadmap.js';
import { risksOf } from './roadmap.js';
import type { Roadmap } from '@menteo/api/roadmaps';
import type { Person } from '@menteo/api/people';
import type { Scope } from '@menteo/api/scopes';
import type { MenteoClient } from '@menteo/client';
import { $, $$, deepActiveElement, expectAccessible, pressWith, takeWarnings, until } from '../test-support/index.js';
import { mountAs, recordLive, recordRequests, useWorld, type RoomSet } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from '../internal/format.js';
import type { MenteoMilestoneChangeEvent } from '../events.js';
import { applyTextSpacing, clippedText, emulateMediaFeatures, focusWalk, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';

const today = todayDateOnly();
const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString();

const world = useWorld();

/** A room with the mentor's roadmap for the mentee: five milestones, one of each kind of risk. */
async function sample(): Promise<{ set: RoomSet; r: Roadmap }> {
  const set = await world.newRoom();
  let r = await world.roadmap(set.mentor, set.room.id, addDays(today, -30), [
    { title: 'Read the style guide', dueDate: addDays(today, -20), status: 'done' },
    { title: 'First reviewed PR', dueDate: addDays(today, -3), status: 'in_progress' },
    { title: 'Pair on a design doc', dueDate: addDays(today, 10), status: 'blocked' },
    { title: 'Lead a review session', dueDate: addDays(today, 40), status: 'in_progress' },
    { title: 'Mentor a newcomer', dueDate: addDays(today, 55), status: 'planned' },
  ]);
  // "In progress for weeks without change" needs a status change in the past, which no API call
  // can make: the test backdates it in the real store (set-up only; the app reads it as usual).
  await world.mock.db.updateTable('milestones').set({ status_changed_at: longAgo }).where('id', '=', r.milestones[3]!.id).execute();
  r = await world.admin.roadmaps.get(r.id);
  return { set, r };
}

async function mount(set: RoomSet, roadmapId: string, options: { viewer?: Person; scopes?: Scope[]; client?: MenteoClient; container?: HTMLElement } = {}) {
  const { el, client } = await mountAs<MenteoRoadmap>(world, options.viewer ?? set.mentee, 'menteo-roadmap', { 'roadmap-id': roadmapId }, options);
  await until(() => el.shadowRoot?.querySelector('.header, .state--error, .state--empty'), 'the roadmap');
  await el.updateComplete;
  return { el, client };
}

describe('<menteo-roadmap>', () => {
  it('summarises progress, places milestones by date with a today marker, and passes axe', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    expect($(el, 'h2').textContent).to.equal('Become a confident reviewer');
    expect($(el, '.summary__headline').textContent).to.contain('1 of 5 milestones done');
    expect($(el, '.summary__headline').textContent).to.contain('20');
    const items = $$(el, '.ms');
    expect(items.length).to.equal(5);
    // Positions grow with due dates.
    const xs = items.map((li) => li.getBoundingClientRect().left);
    expect(xs[0]).to.be.lessThan(xs[2]!);
    expect(el.shadowRoot?.querySelector('[part=today]')).to.exist;
    await expectAccessible(el);
  });

  it('tells status by text and shape, not colour alone', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    const buttons = $$(el, '[part=milestone]');
    expect(buttons.map((b) => b.querySelector('.ms__meta')?.textContent?.split('·')[0]?.trim())).to.deep.equal(['Done', 'In progress', 'Blocked', 'In progress', 'Planned']);
    // Four statuses, four different drawings.
    const shapes = buttons.map((b) => b.querySelector('svg')?.innerHTML.replace(/<!--[^>]*-->/g, ''));
    expect(new Set(shapes).size).to.equal(4);
  });

  it('calls out what the server\'s attention rules find, with the timeline agreeing', async () => {
    const { set, r } = await sample();
    // Blocked for ten days: past the rule's seven (set-up only, as the backdating above).
    const tenDaysAgo = new Date(Date.now() - 10 * 24 * 3600 * 1000).toISOString();
    await world.mock.db.updateTable('milestones').set({ status_changed_at: tenDaysAgo }).where('id', '=', r.milestones[2]!.id).execute();
    const { el } = await mount(set, r.id);
    const callout = await until(() => el.shadowRoot?.querySelector('[part=risks] [data-finding]')?.closest('[part=risks]'), 'the findings');
    expect(callout.querySelector('h3')?.textContent).to.equal('2 things need attention');
    expect(callout.textContent).to.contain('"First reviewed PR" is 3 days past its due date');
    expect(callout.textContent).to.contain('"Pair on a design doc" has been blocked for 10 days.');
    // No local "stalled" rule once the server's rules answered: the timeline agrees with the callout.
    expect($(el, `[data-milestone="${r.milestones[3]!.id}"] .ms__meta`).textContent).not.to.contain('Stalled');
    expect($(el, `[data-milestone="${r.milestones[1]!.id}"] .ms__meta`).textContent).to.contain('Overdue');
    await expectAccessible(el);
  });

  it('falls back to the local overdue, blocked and stalled risks when the attention rules cannot answer', async () => {
    const { set, r } = await sample();
    world.mock.use(world.mock.faults.status(503, { method: 'GET', path: /\/attention$/, times: 20 }).handler);
    const { el } = await mount(set, r.id);
    const callout = $(el, '[part=risks]');
    expect(callout.querySelector('h3')?.textContent).to.equal('3 milestones need attention');
    expect(callout.textContent).to.contain('First reviewed PR');
    expect(callout.textContent).to.contain('Overdue');
    expect(callout.textContent).to.contain('Pair on a design doc');
    expect(callout.textContent).to.contain('Blocked');
    expect(callout.textContent).to.contain('Lead a review session');
    expect(callout.textContent).to.contain('Stalled');
    expect(risksOf(r.milestones[0]!, today)).to.deep.equal([]);
  });

  it('moves a due date from the keyboard, asks for a reason, and saves it with the base version', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    const target = r.milestones[4]!;
    const changes: MenteoMilestoneChangeEvent[] = [];
    el.addEventListener('menteo-milestone-change', (e) => changes.push(e));
    const sent = recordRequests(world, 'PATCH', /\/milestones\//);
    $(el, `[data-milestone="${target.id}"]`).focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await until(() => el.shadowRoot?.querySelector('.edit'), 'the reason form');
    expect($(el, '.edit p').textContent).to.contain('Move "Mentor a newcomer"');
    expect(deepActiveElement()?.getAttribute('data-milestone')).to.equal(target.id);
    // Saving without a reason is refused, with the reason why.
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => $(el, '.edit .error-text').textContent?.includes('Say why'), 'the reason error');
    expect(sent.length).to.equal(0);
    await expectAccessible(el);
    const reason = $<HTMLTextAreaElement>(el, '.edit textarea');
    reason.focus();
    await sendKeys({ type: 'Waiting for the new hire to start' });
    await pressWith('Enter', 'Control');
    await until(() => changes.length === 1, 'menteo-milestone-change');
    sent.stop();
    expect(await sent[0]!.request.json()).to.deep.equal({ reason: 'Waiting for the new hire to start', baseVersion: 1, dueDate: addDays(target.dueDate, 2) });
    expect(changes[0]?.milestone?.dueDate).to.equal(addDays(target.dueDate, 2));
    expect(changes[0]?.reason).to.equal('Waiting for the new hire to start');
    expect(el.currentRoadmap?.version).to.equal(2);
    // The server kept the change with its reason.
    const stored = await world.admin.roadmaps.get(r.id);
    expect(stored.milestones.find((m) => m.id === target.id)?.dueDate).to.equal(addDays(target.dueDate, 2));
    const [latest] = await world.admin.roadmaps.revisions.list(r.id, { limit: 1 }).toArray(1);
    expect(latest?.reason).to.equal('Waiting for the new hire to start');
    expect(latest?.author.id).to.equal(set.mentee.id);
  });

  it('edits status with a reason, rolls back visibly on failure, and keeps the typed reason', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    const target = r.milestones[2]!;
    $(el, `[data-milestone="${target.id}"]`).click();
    await until(() => el.shadowRoot?.querySelector('[part~=edit-button]'), 'details');
    $(el, '[part~=edit-button]').click();
    await until(() => el.shadowRoot?.querySelector('.edit select'), 'edit form');
    const select = $<HTMLSelectElement>(el, '.edit select');
    select.value = 'in_progress';
    select.dispatchEvent(new Event('change'));
    const reason = $<HTMLTextAreaElement>(el, `.edit textarea[required]`);
    reason.value = 'Unblocked by the platform team';
    reason.dispatchEvent(new InputEvent('input'));
    const sent = recordRequests(world, 'PATCH', /\/milestones\//);
    // Every attempt fails (the client retries three times); the first is held in flight first.
    world.mock.use(world.mock.faults.status(500, { method: 'PATCH', path: /\/milestones\//, times: 4 }).handler);
    const held = world.mock.faults.hold({ method: 'PATCH', path: /\/milestones\//, times: 1 });
    world.mock.use(held.handler);
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    // Optimistic: the timeline shows the new status before the server answers.
    await until(() => held.hits === 1 && $(el, `[data-milestone="${target.id}"] .ms__meta`).textContent?.startsWith('In progress'), 'optimistic status');
    await expectAccessible(el);
    held.release();
    await until(() => $(el, '.edit .error-text').textContent?.includes('Not saved'), 'the failure');
    expect($(el, `[data-milestone="${target.id}"] .ms__meta`).textContent).to.match(/^Blocked/);
    expect($<HTMLTextAreaElement>(el, '.edit textarea[required]').value).to.equal('Unblocked by the platform team');
    expect(localStorage.getItem(`menteo:draft:v1:roadmap:${set.mentee.id}:${r.id}:${target.id}`)).to.contain('Unblocked by the platform team');
    await expectAccessible(el);
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => el.shadowRoot?.querySelector('.edit') === null, 'saved');
    sent.stop();
    expect(await sent.at(-1)!.request.json()).to.deep.equal({ reason: 'Unblocked by the platform team', baseVersion: 1, status: 'in_progress' });
    expect(new Set(sent.map((s) => s.idempotencyKey)).size).to.equal(1);
    expect(localStorage.length).to.equal(0);
    expect((await world.admin.roadmaps.get(r.id)).milestones.find((m) => m.id === target.id)?.status).to.equal('in_progress');
  });

  it('saves once, without a false conflict, when the answer to a save that happened was lost', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    const target = r.milestones[4]!;
    // The server applies the change, then the connection drops, on every attempt.
    world.mock.use(world.mock.faults.dropAfterApp(world.mock.app, { method: 'PATCH', path: /\/milestones\//, times: 4 }).handler);
    $(el, `[data-milestone="${target.id}"]`).focus();
    await sendKeys({ press: 'ArrowRight' });
    await until(() => el.shadowRoot?.querySelector('.edit'), 'the reason form');
    const reason = $<HTMLTextAreaElement>(el, '.edit textarea');
    reason.value = 'Holiday week';
    reason.dispatchEvent(new InputEvent('input'));
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => $(el, '.edit .error-text').textContent?.includes('Not saved'), 'the failure');
    world.mock.resetFaults();
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    // The retry repeats the same write (same idempotency key): the server answers from its
    // record, instead of refusing the stale base version as someone else's change.
    await until(() => el.shadowRoot?.querySelector('.edit') === null, 'saved');
    expect(el.currentRoadmap?.version).to.equal(2);
    const revisions = await world.admin.roadmaps.revisions.list(r.id, { limit: 10 }).toArray(10);
    expect(revisions.map((v) => v.reason)).to.deep.equal(['Holiday week', revisions.at(-1)!.reason]);
  });

  it('reloads and explains when someone else changed the roadmap meanwhile', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    $(el, `[data-milestone="${r.milestones[1]!.id}"]`).focus();
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => el.shadowRoot?.querySelector('.edit'), 'the reason form');
    const reason = $<HTMLTextAreaElement>(el, '.edit textarea');
    reason.value = 'Earlier';
    reason.dispatchEvent(new InputEvent('input'));
    // The reader's save leaves based on version 1; the mentor's change lands first.
    const held = world.mock.faults.hold({ method: 'PATCH', path: /\/milestones\//, times: 1 });
    world.mock.use(held.handler);
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => held.hits === 1, 'the save in flight');
    await world.as(set.mentor).roadmaps.update(r.id, { reason: 'Clearer title', title: 'Review with confidence', baseVersion: 1 });
    held.release();
    await until(() => $(el, '.edit .error-text').textContent?.includes('changed this roadmap meanwhile'), 'conflict message');
    await until(() => el.currentRoadmap?.version === 2 && $(el, 'h2').textContent === 'Review with confidence', 'reloaded');
    expect((await world.admin.roadmaps.get(r.id)).milestones.find((m) => m.id === r.milestones[1]!.id)?.dueDate).to.equal(r.milestones[1]!.dueDate);
  });

  it('opens the revision history in one click', async () => {
    const { set, r } = await sample();
    await world.as(set.mentor).roadmaps.update(r.id, { reason: 'Kick-off went well', goal: 'Review two PRs a week' });
    const { el } = await mount(set, r.id);
    const button = $(el, '[part~=history-button]');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.click();
    await until(() => el.shadowRoot?.querySelector('.revisions li'), 'revisions');
    expect($(el, '.revisions').textContent).to.contain('Kick-off went well');
    expect($(el, '.revisions').textContent).to.contain('Max Mentor');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    await expectAccessible(el);
  });

  it('shows no edit controls without the roadmaps:write scope', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id, { scopes: ['roadmaps:read', 'threads:read', 'rooms:read'] });
    expect(el.shadowRoot?.querySelector('[part~=add-button]')).to.equal(null);
    $(el, '[part=milestone]').click();
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('[part~=edit-button]')).to.equal(null);
    expect(el.shadowRoot?.querySelector('[part~=remove-button]')).to.equal(null);
    // What needs attention is said; the adjustments are not offered to someone who cannot make them.
    await until(() => el.shadowRoot?.querySelector('[data-finding=milestone_overdue]'), 'the finding');
    expect(el.shadowRoot?.querySelector('[part~=adjust-button]')).to.equal(null);
  });

  it('takes live updates from the room and announces them', async () => {
    const { set, r } = await sample();
    const client = world.clientFor(set.mentee);
    const subs = recordLive(client);
    const { el } = await mount(set, r.id, { client });
    await until(() => subs.at(-1)?.state === 'open', 'the live stream');
    await world.as(set.mentor).roadmaps.update(r.id, { reason: 'Sharper name', title: 'Renamed plan' });
    await until(() => $(el, 'h2').textContent === 'Renamed plan', 'update');
    expect(el.currentRoadmap?.version).to.equal(2);
    expect($(el, '[data-announcer=polite]').textContent).to.contain('updated');
  });

  it('opens a milestone with its evidence posts', async () => {
    const { set, r } = await sample();
    const milestone = r.milestones[1]!;
    const evidence = await world.postAs(set.mentee, set.room.id, 'Reviewed **three** PRs this week', { milestoneId: milestone.id });
    const gone = await world.postAs(set.mentee, set.room.id, 'Later withdrawn', { milestoneId: milestone.id });
    // A post deleted after it was attached is no longer evidence (the link was the post's own).
    await world.as(set.mentee).posts.delete(gone.id);
    expect((await world.admin.roadmaps.get(r.id)).milestones[1]!.evidencePostIds).to.deep.equal([evidence.id]);
    const { el } = await mount(set, r.id);
    $(el, `[data-milestone="${milestone.id}"]`).click();
    await until(() => el.shadowRoot?.querySelector('.evidence li'), 'evidence');
    expect($(el, '.facts').textContent).to.contain('1 post');
    // Markdown markers are not shown in the excerpt.
    expect($$(el, '.evidence li').length).to.equal(1);
    expect($(el, '.evidence__excerpt').textContent).to.equal('Reviewed three PRs this week');
    await expectAccessible(el);
  });

  it('adds a milestone with a reason', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    const sent = recordRequests(world, 'POST', /\/milestones$/);
    $(el, '[part~=add-button]').click();
    await until(() => deepActiveElement()?.id.endsWith('-title'), 'the title field focused');
    await sendKeys({ type: 'Present at the guild' });
    const reason = $<HTMLTextAreaElement>(el, '.edit textarea[required]');
    reason.value = 'Mia asked for a speaking goal';
    reason.dispatchEvent(new InputEvent('input'));
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => $$(el, '.ms').length === 6 && el.shadowRoot?.querySelector('.edit') === null, 'the new milestone');
    sent.stop();
    // Focus lands on the new milestone on the timeline.
    await until(() => deepActiveElement()?.textContent?.includes('Present at the guild'), 'focus on the new milestone');
    const body = (await sent[0]!.request.json()) as { reason: string; baseVersion: number; milestone: { title: string } };
    expect(body.reason).to.equal('Mia asked for a speaking goal');
    expect(body.baseVersion).to.equal(1);
    expect(body.milestone.title).to.equal('Present at the guild');
    const stored = await world.admin.roadmaps.get(r.id);
    expect(stored.version).to.equal(2);
    expect(stored.milestones.map((m) => m.title)).to.include('Present at the guild');
  });

  it('mirrors the timeline right to left, and ← moves a date later there', async () => {
    const { set, r } = await sample();
    const wrapper = document.createElement('div');
    wrapper.dir = 'rtl';
    document.body.append(wrapper);
    const { el } = await mount(set, r.id, { container: wrapper });
    await until(() => el.shadowRoot?.querySelector('.ms'), 'timeline');
    const [first, , third] = $$(el, '.ms').map((li) => li.getBoundingClientRect().right);
    expect(first).to.be.greaterThan(third!);
    const target = r.milestones[4]!;
    $(el, `[data-milestone="${target.id}"]`).focus();
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => el.shadowRoot?.querySelector('.edit p')?.textContent?.includes('Move'), 'move form');
    await expectAccessible(el);
  });

  it('warns in dev mode when it does not know which roadmap to show', async () => {
    await mountAs<MenteoRoadmap>(world, world.mentee, 'menteo-roadmap');
    expect(takeWarnings().some((w) => w.includes('needs a `roadmap-id`'))).to.equal(true);
  });

  it('shows an error with a retry when the roadmap cannot load', async () => {
    const set = await world.newRoom();
    const { el } = await mount(set, 'rmap_00000000000000000000000404');
    expect($(el, '.state--error').textContent).to.contain('could not be found');
    expect($(el, '.state--error button')).to.exist;
    await expectAccessible(el);
  });
});

/** Opens the details of `milestoneId` and its edit form, as the reader would. */
async function openEditor(el: MenteoRoadmap, milestoneId: string): Promise<void> {
  $(el, `[data-milestone="${milestoneId}"]`).click();
  await until(() => el.shadowRoot?.querySelector('[part~=edit-button]'), 'details');
  $(el, '[part~=edit-button]').click();
  await until(() => el.shadowRoot?.querySelector('.edit select'), 'edit form');
}

function type(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new InputEvent('input'));
}

describe('<menteo-roadmap> practice: skills, removal, day of the horizon', () => {
  it('edits the required skills with a reason, and the revision keeps them', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    const target = r.milestones[3]!;
    await openEditor(el, target.id);
    const skills = $<HTMLInputElement>(el, '.edit input[name=skills]');
    expect(skills.labels?.[0]?.textContent).to.contain('Skills');
    type(skills, 'Code review,  written-feedback, ');
    type($<HTMLTextAreaElement>(el, '.edit textarea[required]'), 'The review session needs both');
    const sent = recordRequests(world, 'PATCH', /\/milestones\//);
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => el.shadowRoot?.querySelector('.edit') === null, 'saved');
    sent.stop();
    expect(await sent[0]!.request.json()).to.deep.equal({ reason: 'The review session needs both', baseVersion: 1, requiredSkills: ['code-review', 'written-feedback'] });
    expect((await world.admin.roadmaps.get(r.id)).milestones.find((m) => m.id === target.id)?.requiredSkills).to.deep.equal(['code-review', 'written-feedback']);
    expect($(el, '.facts').textContent).to.contain('code-review, written-feedback');
    expect(deepActiveElement()?.getAttribute('data-milestone')).to.equal(target.id);
  });

  it('removes a milestone with a required reason, kept in the history, and focus lands on the next one', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    const target = r.milestones[2]!;
    $(el, `[data-milestone="${target.id}"]`).click();
    await until(() => el.shadowRoot?.querySelector('[part~=remove-button]'), 'the remove button');
    $(el, '[part~=remove-button]').click();
    const form = await until(() => el.shadowRoot?.querySelector<HTMLFormElement>('form.remove'), 'the remove confirmation');
    expect(form.textContent).to.contain('Pair on a design doc');
    // Focus moves into the confirmation, on the reason.
    expect(deepActiveElement()?.id).to.equal(form.querySelector('textarea')?.id);
    await expectAccessible(el);
    const sent = recordRequests(world, 'POST', /\/remove$/);
    $<HTMLButtonElement>(el, 'form.remove button[type=submit]').click();
    await until(() => $(el, 'form.remove .error-text').textContent?.includes('Say why'), 'the reason error');
    expect(sent.length).to.equal(0);
    type($<HTMLTextAreaElement>(el, 'form.remove textarea'), 'The design doc moved to another team');
    $<HTMLButtonElement>(el, 'form.remove button[type=submit]').click();
    await until(() => $$(el, '.ms').length === 4 && el.shadowRoot?.querySelector('form.remove') === null, 'the milestone gone');
    await until(() => deepActiveElement()?.hasAttribute('data-milestone'), 'focus on a milestone');
    sent.stop();
    expect(await sent[0]!.request.json()).to.deep.equal({ reason: 'The design doc moved to another team', baseVersion: 1 });
    expect(deepActiveElement()?.getAttribute('data-milestone')).to.equal(r.milestones[3]!.id);
    const [latest] = await world.admin.roadmaps.revisions.list(r.id, { limit: 1 }).toArray(1);
    expect(latest?.kind).to.equal('milestone_removed');
    expect(latest?.reason).to.equal('The design doc moved to another team');
    // The history says what was removed and why.
    $(el, '[part~=history-button]').click();
    await until(() => el.shadowRoot?.querySelector('.history')?.textContent?.includes('The design doc moved to another team'), 'the history');
    expect($(el, '.history').textContent).to.contain('Pair on a design doc');
    await expectAccessible(el);
  });

  it('cancelling an edit (Cancel or Escape) puts focus back on the milestone', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    const target = r.milestones[2]!;
    await openEditor(el, target.id);
    $<HTMLButtonElement>(el, '.edit .actions button[type=button]').click();
    await until(() => el.shadowRoot?.querySelector('.edit') === null, 'closed');
    await until(() => deepActiveElement()?.getAttribute('data-milestone') === target.id, 'focus on the milestone');
    $(el, '[part~=edit-button]').click();
    await until(() => deepActiveElement()?.hasAttribute('data-edit-first'), 'the title field');
    await sendKeys({ press: 'Escape' });
    await until(() => deepActiveElement()?.getAttribute('data-milestone') === target.id, 'focus back after Escape');
  });

  it('cancelling a removal keeps the milestone and puts focus back on the remove button', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    $(el, `[data-milestone="${r.milestones[1]!.id}"]`).click();
    await until(() => el.shadowRoot?.querySelector('[part~=remove-button]'), 'the remove button');
    $(el, '[part~=remove-button]').click();
    await until(() => el.shadowRoot?.querySelector('form.remove'), 'the remove confirmation');
    await sendKeys({ press: 'Escape' });
    await until(() => el.shadowRoot?.querySelector('form.remove') === null, 'closed');
    expect(deepActiveElement()?.getAttribute('part')).to.contain('remove-button');
    expect($$(el, '.ms').length).to.equal(5);
  });

  it('says which day of the horizon today is', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    // Started 30 days ago: today is day 31 of 90.
    expect($(el, '[part=day]').textContent?.replace(/\s+/g, ' ').trim()).to.equal('Day 31 of 90');
    const other = await world.newRoom();
    const later = await world.roadmap(other.mentor, other.room.id, addDays(today, 5), [{ title: 'Soon', dueDate: addDays(today, 20) }], 'Next plan');
    const next = await mount(other, later.id);
    expect($(next.el, '[part=day]').textContent?.replace(/\s+/g, ' ').trim()).to.match(/^Starts in 5 days/);
  });

  it('shows new evidence live: a post linked to an open milestone updates it without a new roadmap version', async () => {
    // Evidence is derived from the posts' own links, so linking one changes no roadmap version:
    // the roadmap.updated it causes carries the same version with the new evidence.
    const { set, r } = await sample();
    const milestone = r.milestones[1]!;
    const client = world.clientFor(set.mentee);
    const subs = recordLive(client);
    const { el } = await mount(set, r.id, { client });
    await until(() => subs.at(-1)?.state === 'open', 'the live stream');
    $(el, `[data-milestone="${milestone.id}"]`).click();
    await el.updateComplete;
    await world.postAs(set.mentee, set.room.id, 'Shipped the review checklist', { milestoneId: milestone.id });
    await until(() => $(el, '.facts').textContent?.includes('1 post'), 'the evidence count');
    expect(el.currentRoadmap?.version).to.equal(r.version);
    await until(() => $$(el, '.evidence li').length === 1, 'the evidence post');
  });

  it('lists a milestone\'s evidence from the posts that link to it, with the count and links', async () => {
    const { set, r } = await sample();
    const milestone = r.milestones[1]!;
    // The one stored link: the post names its milestone. Nothing patches the milestone.
    await world.postAs(set.mentee, set.room.id, 'Reviewed **three** PRs this week', { milestoneId: milestone.id });
    await world.postAs(set.mentee, set.room.id, 'Paired on a tricky review', { milestoneId: milestone.id });
    const { el } = await mount(set, r.id);
    el.postHref = (p) => `/growth#post-${p.id}`;
    $(el, `[data-milestone="${milestone.id}"]`).click();
    await until(() => $$(el, '.evidence li').length === 2, 'evidence');
    expect($(el, '.facts').textContent).to.contain('2 posts');
    const links = $$<HTMLAnchorElement>(el, '.evidence a');
    expect(links.length).to.equal(2);
    expect(links[0]!.getAttribute('href')).to.match(/^\/growth#post-post_/);
    expect(links.map((a) => a.textContent?.trim())).to.deep.equal(['Paired on a tricky review', 'Reviewed three PRs this week']);
    await expectAccessible(el);
  });
});

describe('<menteo-roadmap> beyond axe: forced colors, text spacing, reflow', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
  });

  async function expectFocusVisibleOnEveryStop(el: MenteoRoadmap, minStops: number): Promise<void> {
    const { stops, problems } = await focusWalk(el);
    expect(stops.length, 'tab stops').to.be.greaterThanOrEqual(minStops);
    expect(problems, problems.join('\n')).to.deep.equal([]);
  }

  it('draws a focus indicator on every focusable part in forced-colors mode', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    // What the reader sees once the attention rules answered (their offer has buttons too).
    await until(() => el.shadowRoot?.querySelector('[data-finding] [part~=adjust-button]'), 'the findings');
    await forcedColors(true);
    expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
    // Risks, milestones (one selected), details actions, toolbar.
    $(el, `[data-milestone="${r.milestones[1]!.id}"]`).click();
    await until(() => el.shadowRoot?.querySelector('[part~=edit-button]'), 'details');
    await expectFocusVisibleOnEveryStop(el, 10);
    await expectAccessible(el);
    // The edit form: text fields, the date input, the select, buttons.
    $(el, '[part~=edit-button]').click();
    await until(() => el.shadowRoot?.querySelector('.edit select'), 'edit form');
    await expectFocusVisibleOnEveryStop(el, 15);
    await expectAccessible(el);
    // The remove confirmation.
    $(el, '.edit button[type=button]').click();
    await until(() => el.shadowRoot?.querySelector('.edit') === null, 'editor closed');
    $(el, '[part~=remove-button]').click();
    await until(() => el.shadowRoot?.querySelector('form.remove'), 'the remove confirmation');
    await expectFocusVisibleOnEveryStop(el, 10);
    await expectAccessible(el);
    // The adjust offer for a room finding: the milestone picker and the three adjustments.
    $(el, 'form.remove button[type=button]').click();
    await until(() => el.shadowRoot?.querySelector('form.remove') === null, 'closed');
  });

  it('draws a focus indicator on the adjust offer\'s picker and buttons in forced-colors mode', async () => {
    const { set, r } = await sample();
    for (const confidence of [5, 3] as const) await world.as(set.mentee).checkIns.create(set.room.id, { progress: 'Week done', confidence });
    const { el } = await mount(set, r.id);
    await until(() => el.shadowRoot?.querySelector('[data-finding=confidence_falling] select'), 'the room finding\'s offer');
    await forcedColors(true);
    const { stops, problems } = await focusWalk(el);
    expect(stops.filter((s) => s.closest('.offer')).length, 'offer controls reached by Tab').to.be.greaterThanOrEqual(4);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await expectAccessible(el);
  });

  it('passes axe (contrast included) in the dark scheme: reading, findings, editor, remove confirmation', async () => {
    const { set, r } = await sample();
    await emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const { el } = await mount(set, r.id);
    expect(matchMedia('(prefers-color-scheme: dark)').matches).to.equal(true);
    await until(() => el.shadowRoot?.querySelector('[data-finding] [part~=adjust-button]'), 'the findings');
    await expectAccessible(el);
    await openEditor(el, r.milestones[1]!.id);
    await expectAccessible(el);
    $(el, '.edit .actions button[type=button]').click();
    await until(() => el.shadowRoot?.querySelector('[part~=remove-button]'), 'details');
    $(el, '[part~=remove-button]').click();
    await until(() => el.shadowRoot?.querySelector('form.remove'), 'the remove confirmation');
    await expectAccessible(el);
  });

  it('makes every target at least 24 by 24 CSS px (WCAG 2.5.8), in the fallback callout too', async () => {
    const { set, r } = await sample();
    world.mock.use(world.mock.faults.status(503, { method: 'GET', path: /\/attention$/, times: 20 }).handler);
    const { el } = await mount(set, r.id);
    await openEditor(el, r.milestones[1]!.id);
    const small = $$(el, 'button, input, select, textarea, a[href]')
      .map((t) => ({ t, box: t.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 24 || box.height < 24)
      .map(({ t, box }) => `<${t.localName}> "${t.textContent?.trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    expect(small).to.deep.equal([]);
  });

  it('shows focus on the due-date input of the milestone editor', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    await openEditor(el, r.milestones[1]!.id);
    const date = $<HTMLInputElement>(el, '.edit input[type=date]');
    const before = getComputedStyle(date);
    const blurred = `${before.outlineStyle} ${before.outlineWidth} ${before.outlineColor} ${before.boxShadow}`;
    // Reach it with the keyboard: Tab from the title field.
    $<HTMLInputElement>(el, '.edit input[data-edit-first]').focus();
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(date);
    const s = getComputedStyle(date);
    expect(`${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} ${s.boxShadow}`).not.to.equal(blurred);
    expect(s.outlineStyle).not.to.equal('none');
    expect(parseFloat(s.outlineWidth)).to.be.greaterThanOrEqual(2);
  });

  it('cuts no milestone title at 320 px (the demo roadmap\'s titles)', async () => {
    await viewport(320);
    const set = await world.newRoom();
    const r = await world.roadmap(set.mentor, set.room.id, addDays(today, -40), [
      { title: 'Map the service and its dependencies', dueDate: addDays(today, -28), status: 'done' },
      { title: 'Shadow and then lead an on-call week', dueDate: addDays(today, -5), status: 'in_progress' },
      { title: 'Redesign alerting around SLOs', dueDate: addDays(today, 20) },
      { title: 'Migrate the queue to the shared broker', dueDate: addDays(today, 45) },
      { title: 'Lead an incident review', dueDate: addDays(today, 70) },
    ]);
    const { el } = await mount(set, r.id);
    await until(() => $$(el, '.ms__title').length === 5, 'titles');
    expect(clippedText(el)).to.deep.equal([]);
    expect(overflowingPage(el)).to.deep.equal([]);
    await expectAccessible(el);
    // The editor and the attention offer reflow too.
    await openEditor(el, r.milestones[1]!.id);
    expect(clippedText(el), 'editor open').to.deep.equal([]);
    expect(overflowingPage(el), 'editor open').to.deep.equal([]);
  });

  it('cuts no text under the WCAG 1.4.12 text-spacing override, wide and at 320 px', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    applyTextSpacing(el);
    await el.updateComplete;
    expect(clippedText(el), 'at 800 px').to.deep.equal([]);
    await viewport(320);
    await new Promise((res) => requestAnimationFrame(res));
    expect(clippedText(el), 'at 320 px').to.deep.equal([]);
    expect(overflowingPage(el)).to.deep.equal([]);
  });

  // The theming guide's pictures showed cards on top of each other: a card near the horizon's end
  // was pulled back into the lane of an earlier one.
  const crowded: Record<string, Array<{ title: string; offset: number }>> = {
    'three milestones due on consecutive days': [
      { title: 'Write the proposal', offset: 30 },
      { title: 'Review the proposal with the mentor', offset: 31 },
      { title: 'Send the proposal to the team', offset: 32 },
    ],
    'three consecutive days at the horizon\'s end, after one a few weeks before': [
      { title: 'Draft the design', offset: 60 },
      { title: 'Run the load test', offset: 87 },
      { title: 'Write the runbook', offset: 88 },
      { title: 'Hand over on-call', offset: 89 },
    ],
    'the theming guide\'s roadmap': [
      { title: 'Map the service and its dependencies', offset: 12 },
      { title: 'Shadow and then lead an on-call week', offset: 46 },
      { title: 'Redesign alerting around SLOs', offset: 60 },
      { title: 'Migrate the queue to the shared broker', offset: 85 },
      { title: 'Lead an incident review', offset: 110 },
    ],
  };
  for (const [name, milestones] of Object.entries(crowded)) {
    it(`keeps milestone cards apart, in date order: ${name}`, async () => {
      const start = addDays(today, -40);
      const set = await world.newRoom();
      // Given out of date order: the timeline orders them itself.
      const given = [...milestones].reverse().map((m) => ({ title: m.title, dueDate: addDays(start, m.offset) }));
      const r = await world.roadmap(set.mentor, set.room.id, start, given);
      const wrapper = document.createElement('div');
      document.body.append(wrapper);
      try {
        const { el } = await mount(set, r.id, { container: wrapper });
        await until(() => $$(el, '.ms').length === milestones.length, 'the milestones');
        for (const width of [320, 600, 640, 760, 1000]) {
          wrapper.style.inlineSize = `${width}px`;
          await new Promise((res) => requestAnimationFrame(res));
          const cards = $$(el, '[part=milestone]');
          // Keyboard (DOM) order is date order.
          expect(cards.map((b) => b.querySelector('.ms__title')?.textContent), `order at ${width} px`).to.deep.equal(milestones.map((m) => m.title));
          const rects = cards.map((b) => b.getBoundingClientRect());
          for (let i = 0; i < rects.length; i++) {
            for (let j = i + 1; j < rects.length; j++) {
              const a = rects[i]!;
              const b = rects[j]!;
              const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
              expect(overlap, `"${milestones[i]!.title}" and "${milestones[j]!.title}" at ${width} px`).to.equal(false);
            }
          }
          expect(clippedText(el), `at ${width} px`).to.deep.equal([]);
        }
        await expectAccessible(el);
      } finally {
        wrapper.remove();
      }
    });
  }
});


describe('<menteo-roadmap> the adjust loop (the server\'s attention rules)', () => {
  /** The finding of `code` in the callout, once the rules have answered. */
  async function finding(el: MenteoRoadmap, code: string): Promise<HTMLElement> {
    return until(() => el.shadowRoot?.querySelector<HTMLElement>(`[part=risks] [data-finding=${code}]`), `the ${code} finding`);
  }

  async function latestRevision(roadmapId: string) {
    const [latest] = await world.admin.roadmaps.revisions.list(roadmapId, { limit: 1 }).toArray(1);
    return latest!;
  }

  it('says a milestone is overdue and why, and moves it with a reason kept in the history', async () => {
    const { set, r } = await sample();
    const { el } = await mount(set, r.id);
    const target = r.milestones[1]!;
    const f = await finding(el, 'milestone_overdue');
    expect(f.textContent).to.contain('"First reviewed PR" is 3 days past its due date, neither done nor moved.');
    f.querySelector<HTMLButtonElement>('[data-adjust$=-move]')!.click();
    const date = await until(() => el.shadowRoot?.querySelector<HTMLInputElement>('.edit input[type=date]'), 'the move form');
    expect(deepActiveElement()).to.equal(date);
    await expectAccessible(el);
    type(date, addDays(today, 14));
    type($<HTMLTextAreaElement>(el, '.edit textarea[required]'), 'The reviewer pool was on holiday');
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => el.shadowRoot?.querySelector('.edit') === null, 'saved');
    expect(deepActiveElement()?.getAttribute('data-milestone')).to.equal(target.id);
    const latest = await latestRevision(r.id);
    expect(latest.reason).to.equal('The reviewer pool was on holiday');
    expect(latest.changes).to.deep.include({ milestoneId: target.id, field: 'dueDate', from: target.dueDate, to: addDays(today, 14) });
    // The rules are asked again: the milestone is no longer overdue.
    await until(() => el.shadowRoot?.querySelector('[data-finding=milestone_overdue]') === null, 'the finding gone');
  });

  it('says check-ins stopped, and re-scopes a milestone the reader picks, with a reason', async () => {
    const { set, r } = await sample();
    // Joined 20 days ago and never checked in (set-up only: no API call can backdate a membership).
    await world.mock.db.updateTable('room_members').set({ joined_at: new Date(Date.now() - 20 * 24 * 3600 * 1000).toISOString() }).where('person_id', '=', set.mentee.id).execute();
    const { el } = await mount(set, r.id);
    const f = await finding(el, 'check_ins_stopped');
    expect(f.textContent).to.contain('No check-in from Mia Mentee for 20 days.');
    const target = r.milestones[4]!;
    const pick = f.querySelector<HTMLSelectElement>('select')!;
    pick.value = target.id;
    pick.dispatchEvent(new Event('change'));
    f.querySelector<HTMLButtonElement>('[data-adjust$=-rescope]')!.click();
    await until(() => el.shadowRoot?.querySelector('.edit input[name=skills]'), 'the re-scope form');
    expect(el.shadowRoot?.querySelector('.edit select'), 're-scoping keeps the status').to.equal(null);
    expect(el.shadowRoot?.querySelector('.edit input[type=date]'), 're-scoping keeps the date').to.equal(null);
    expect((deepActiveElement() as HTMLInputElement | null)?.value).to.equal('Mentor a newcomer');
    await expectAccessible(el);
    type($<HTMLTextAreaElement>(el, `.edit textarea[id$=-outcome]`), 'Pair with the next intern for a week');
    type($<HTMLInputElement>(el, '.edit input[name=skills]'), 'mentoring');
    type($<HTMLTextAreaElement>(el, '.edit textarea[required]'), 'Smaller step while check-ins restart');
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => el.shadowRoot?.querySelector('.edit') === null, 'saved');
    const latest = await latestRevision(r.id);
    expect(latest.reason).to.equal('Smaller step while check-ins restart');
    expect(latest.changes.map((c) => c.field).sort()).to.deep.equal(['expectedOutcome', 'requiredSkills']);
    expect(deepActiveElement()?.getAttribute('data-milestone')).to.equal(target.id);
  });

  it('says confidence is falling, and drops a milestone with a reason; cancelling returns to the offer', async () => {
    const { set, r } = await sample();
    for (const confidence of [4, 3, 2] as const) await world.as(set.mentee).checkIns.create(set.room.id, { progress: 'Week done', confidence });
    const { el } = await mount(set, r.id);
    const f = await finding(el, 'confidence_falling');
    expect(f.textContent).to.contain('confidence is falling across check-ins: 4 → 3 → 2');
    const drop = f.querySelector<HTMLButtonElement>('[data-adjust$=-drop]')!;
    drop.click();
    await until(() => el.shadowRoot?.querySelector('form.remove'), 'the drop form');
    await sendKeys({ press: 'Escape' });
    await until(() => el.shadowRoot?.querySelector('form.remove') === null, 'closed');
    expect(deepActiveElement()?.getAttribute('data-adjust')).to.equal(drop.getAttribute('data-adjust'));
    const target = r.milestones[3]!;
    const pick = (await finding(el, 'confidence_falling')).querySelector<HTMLSelectElement>('select')!;
    pick.value = target.id;
    pick.dispatchEvent(new Event('change'));
    (await finding(el, 'confidence_falling')).querySelector<HTMLButtonElement>('[data-adjust$=-drop]')!.click();
    await until(() => el.shadowRoot?.querySelector('form.remove')?.textContent?.includes('Lead a review session'), 'the drop form for the picked milestone');
    await expectAccessible(el);
    type($<HTMLTextAreaElement>(el, 'form.remove textarea'), 'Too much at once; back to basics');
    $<HTMLButtonElement>(el, 'form.remove button[type=submit]').click();
    await until(() => $$(el, '.ms').length === 4 && el.shadowRoot?.querySelector('form.remove') === null, 'dropped');
    const latest = await latestRevision(r.id);
    expect(latest.kind).to.equal('milestone_removed');
    expect(latest.reason).to.equal('Too much at once; back to basics');
    expect((await world.admin.roadmaps.get(r.id)).milestones.map((m) => m.id)).not.to.include(target.id);
  });
});
