import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/roadmap.js';
import type { MenteoRoadmap } from './roadmap.js';
import { risksOf } from './roadmap.js';
import { $, $$, cleanupBody, deepActiveElement, expectAccessible, mountInProvider, pressWith, takeWarnings, until } from '../test-support/index.js';
import { FakeClient, makeMilestone, makePost, makeRoadmap, person, liveEvent } from '../test-support/fake-client.js';
import { addDays, todayDateOnly } from '../internal/format.js';
import type { MenteoMilestoneChangeEvent } from '../events.js';

const today = todayDateOnly();
const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString();

function sample() {
  return makeRoadmap(person('Mia Mentee'), addDays(today, -30), (id) => [
    makeMilestone(id, 'Read the style guide', addDays(today, -20), 'done'),
    makeMilestone(id, 'First reviewed PR', addDays(today, -3), 'in_progress'),
    makeMilestone(id, 'Pair on a design doc', addDays(today, 10), 'blocked'),
    makeMilestone(id, 'Lead a review session', addDays(today, 40), 'in_progress', { statusChangedAt: longAgo }),
    makeMilestone(id, 'Mentor a newcomer', addDays(today, 55), 'planned'),
  ]);
}

async function mount(fake: FakeClient, roadmapId: string) {
  const { el } = await mountInProvider<MenteoRoadmap>(fake.asClient(), 'menteo-roadmap', {}, document.body, { 'roadmap-id': roadmapId });
  await until(() => el.shadowRoot?.querySelector('.header, .state--error, .state--empty'), 'the roadmap');
  await el.updateComplete;
  return el;
}

afterEach(cleanupBody);

describe('<menteo-roadmap>', () => {
  it('summarises progress, places milestones by date with a today marker, and passes axe', async () => {
    const r = sample();
    const el = await mount(new FakeClient({ roadmaps: [r] }), r.id);
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
    const r = sample();
    const el = await mount(new FakeClient({ roadmaps: [r] }), r.id);
    const buttons = $$(el, '[part=milestone]');
    expect(buttons.map((b) => b.querySelector('.ms__meta')?.textContent?.split('·')[0]?.trim())).to.deep.equal(['Done', 'In progress', 'Blocked', 'In progress', 'Planned']);
    // Four statuses, four different drawings.
    const shapes = buttons.map((b) => b.querySelector('svg')?.innerHTML.replace(/<!--[^>]*-->/g, ''));
    expect(new Set(shapes).size).to.equal(4);
  });

  it('calls out overdue, blocked and stalled milestones', async () => {
    const r = sample();
    const el = await mount(new FakeClient({ roadmaps: [r] }), r.id);
    const callout = $(el, '[part=risks]');
    expect(callout.querySelector('h3')?.textContent).to.equal('3 milestones need attention');
    expect(callout.textContent).to.contain('First reviewed PR');
    expect(callout.textContent).to.contain('Overdue');
    expect(callout.textContent).to.contain('Blocked');
    expect(callout.textContent).to.contain('Stalled');
    expect(risksOf(r.milestones[0]!, today)).to.deep.equal([]);
  });

  it('moves a due date from the keyboard, asks for a reason, and saves it with the base version', async () => {
    const r = sample();
    const fake = new FakeClient({ roadmaps: [r] });
    const el = await mount(fake, r.id);
    const target = r.milestones[4]!;
    const changes: MenteoMilestoneChangeEvent[] = [];
    el.addEventListener('menteo-milestone-change', (e) => changes.push(e));
    $(el, `[data-milestone="${target.id}"]`).focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await until(() => el.shadowRoot?.querySelector('.edit'), 'the reason form');
    expect($(el, '.edit p').textContent).to.contain('Move "Mentor a newcomer"');
    expect(deepActiveElement()?.getAttribute('data-milestone')).to.equal(target.id);
    // Saving without a reason is refused, with the reason why.
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => $(el, '.edit .error-text').textContent?.includes('Say why'), 'the reason error');
    expect(fake.calledWith('milestones.update').length).to.equal(0);
    await expectAccessible(el);
    const reason = $<HTMLTextAreaElement>(el, '.edit textarea');
    reason.focus();
    await sendKeys({ type: 'Waiting for the new hire to start' });
    await pressWith('Enter', 'Control');
    await until(() => changes.length === 1, 'menteo-milestone-change');
    const [, , body] = fake.calledWith('milestones.update')[0]!.args as [string, string, Record<string, unknown>];
    expect(body).to.deep.equal({ reason: 'Waiting for the new hire to start', baseVersion: 1, dueDate: addDays(target.dueDate, 2) });
    expect(changes[0]?.milestone?.dueDate).to.equal(addDays(target.dueDate, 2));
    expect(changes[0]?.reason).to.equal('Waiting for the new hire to start');
    expect(el.currentRoadmap?.version).to.equal(2);
  });

  it('edits status with a reason, rolls back visibly on failure, and keeps the typed reason', async () => {
    const r = sample();
    const fake = new FakeClient({ roadmaps: [r] });
    const el = await mount(fake, r.id);
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
    const gate = fake.gate('milestones.update');
    fake.fail('milestones.update');
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    // Optimistic: the timeline shows the new status before the server answers.
    await until(() => $(el, `[data-milestone="${target.id}"] .ms__meta`).textContent?.startsWith('In progress'), 'optimistic status');
    gate.open();
    await until(() => $(el, '.edit .error-text').textContent?.includes('Not saved'), 'the failure');
    expect($(el, `[data-milestone="${target.id}"] .ms__meta`).textContent).to.match(/^Blocked/);
    expect($<HTMLTextAreaElement>(el, '.edit textarea[required]').value).to.equal('Unblocked by the platform team');
    expect(localStorage.getItem(`menteo:draft:v1:roadmap:${fake.viewer.id}:${r.id}:${target.id}`)).to.contain('Unblocked by the platform team');
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => el.shadowRoot?.querySelector('.edit') === null, 'saved');
    const [, , body] = fake.calledWith('milestones.update')[1]!.args as [string, string, Record<string, unknown>];
    expect(body).to.deep.equal({ reason: 'Unblocked by the platform team', baseVersion: 1, status: 'in_progress' });
    expect(localStorage.length).to.equal(0);
  });

  it('reloads and explains when someone else changed the roadmap meanwhile', async () => {
    const r = sample();
    const fake = new FakeClient({ roadmaps: [r] });
    const el = await mount(fake, r.id);
    fake.roadmaps = [{ ...r, version: 5 }];
    $(el, `[data-milestone="${r.milestones[1]!.id}"]`).focus();
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => el.shadowRoot?.querySelector('.edit'), 'the reason form');
    const reason = $<HTMLTextAreaElement>(el, '.edit textarea');
    reason.value = 'Earlier';
    reason.dispatchEvent(new InputEvent('input'));
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => $(el, '.edit .error-text').textContent?.includes('changed this roadmap meanwhile'), 'conflict message');
    await until(() => el.currentRoadmap?.version === 5, 'reloaded');
  });

  it('opens the revision history in one click', async () => {
    const r = sample();
    const fake = new FakeClient({ roadmaps: [r] });
    fake.revisionLog.push({ id: 'rev_00000000000000000000000001', roadmapId: r.id, version: 1, kind: 'created', author: person('Max Mentor'), reason: 'Kick-off', changes: [], createdAt: new Date().toISOString() });
    const el = await mount(fake, r.id);
    const button = $(el, '[part~=history-button]');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.click();
    await until(() => el.shadowRoot?.querySelector('.revisions li'), 'revisions');
    expect($(el, '.revisions').textContent).to.contain('Kick-off');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    await expectAccessible(el);
  });

  it('shows no edit controls without the roadmaps:write scope', async () => {
    const r = sample();
    const el = await mount(new FakeClient({ roadmaps: [r], scopes: ['roadmaps:read'] }), r.id);
    expect(el.shadowRoot?.querySelector('[part~=add-button]')).to.equal(null);
    $(el, '[part=milestone]').click();
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('[part~=edit-button]')).to.equal(null);
  });

  it('takes live updates from the room and announces them', async () => {
    const r = sample();
    const fake = new FakeClient({ roadmaps: [r] });
    const el = await mount(fake, r.id);
    await until(() => fake.live, 'subscription');
    fake.live!.emit(liveEvent('roadmap.updated', { ...r, version: 2, title: 'Renamed plan' }));
    await until(() => $(el, 'h2').textContent === 'Renamed plan', 'update');
    expect($(el, '[data-announcer=polite]').textContent).to.contain('updated');
  });

  it('opens a milestone with its evidence posts', async () => {
    const r = sample();
    const fake = new FakeClient({ roadmaps: [r] });
    const evidence = makePost(person('Mia Mentee'), 'Reviewed **three** PRs this week', { milestoneId: r.milestones[1]!.id });
    fake.posts.push(evidence);
    r.milestones[1]!.evidencePostIds.push(evidence.id, 'post_00000000000000000000000404');
    const el = await mount(fake, r.id);
    $(el, `[data-milestone="${r.milestones[1]!.id}"]`).click();
    await until(() => el.shadowRoot?.querySelector('.evidence li'), 'evidence');
    expect($(el, '.facts').textContent).to.contain('2 posts');
    // The unreadable one is skipped; markdown markers are not shown in the excerpt.
    expect($$(el, '.evidence li').length).to.equal(1);
    expect($(el, '.evidence__excerpt').textContent).to.equal('Reviewed three PRs this week');
    await expectAccessible(el);
  });

  it('adds a milestone with a reason', async () => {
    const r = sample();
    const fake = new FakeClient({ roadmaps: [r] });
    const el = await mount(fake, r.id);
    $(el, '[part~=add-button]').click();
    await until(() => deepActiveElement()?.id.endsWith('-title'), 'the title field focused');
    await sendKeys({ type: 'Present at the guild' });
    const reason = $<HTMLTextAreaElement>(el, '.edit textarea[required]');
    reason.value = 'Mia asked for a speaking goal';
    reason.dispatchEvent(new InputEvent('input'));
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => $$(el, '.ms').length === 6, 'the new milestone');
    const [, body] = fake.calledWith('milestones.add')[0]!.args as [string, { reason: string; baseVersion: number; milestone: { title: string } }];
    expect(body.reason).to.equal('Mia asked for a speaking goal');
    expect(body.baseVersion).to.equal(1);
    expect(body.milestone.title).to.equal('Present at the guild');
  });

  it('mirrors the timeline right to left, and ← moves a date later there', async () => {
    const r = sample();
    const fake = new FakeClient({ roadmaps: [r] });
    const wrapper = document.createElement('div');
    wrapper.dir = 'rtl';
    document.body.append(wrapper);
    const { el } = await mountInProvider<MenteoRoadmap>(fake.asClient(), 'menteo-roadmap', {}, wrapper, { 'roadmap-id': r.id });
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
    await mountInProvider<MenteoRoadmap>(new FakeClient().asClient(), 'menteo-roadmap');
    expect(takeWarnings().some((w) => w.includes('needs a `roadmap-id`'))).to.equal(true);
  });

  it('shows an error with a retry when the roadmap cannot load', async () => {
    const fake = new FakeClient();
    const el = await mount(fake, 'rmap_00000000000000000000000404');
    expect($(el, '.state--error').textContent).to.contain('could not be found');
    await expectAccessible(el);
  });
});
