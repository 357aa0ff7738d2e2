/**
 * <menteo-composer> on its own, against the real server app (in the page through `@menteo/mock`).
 * The feed's composer tests cover drafts, rollback and idempotent retries through the feed.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/composer.js';
import type { MenteoComposer } from './composer.js';
import type { Person } from '@menteo/api/people';
import { $, $$, deepActiveElement, expectAccessible, pressWith, until } from '../test-support/index.js';
import { mountAs, useWorld, type RoomSet } from '../test-support/real-api.js';
import type { MenteoPostCreateEvent, MenteoPostSendEvent } from '../events.js';

const world = useWorld();

async function mount(set: RoomSet, viewer: Person = set.mentee, attrs: Record<string, string> = {}, container?: HTMLElement) {
  const { el } = await mountAs<MenteoComposer>(world, viewer, 'menteo-composer', { 'room-id': set.room.id, ...attrs }, container ? { container } : {});
  return el;
}

describe('<menteo-composer>', () => {
  it('posts from the keyboard alone (Ctrl+Enter), tells the host before and after, and keeps focus in the text area', async () => {
    const set = await world.newRoom();
    const el = await mount(set);
    const textarea = await until(() => $$<HTMLTextAreaElement>(el, 'textarea')[0], 'the composer');
    await expectAccessible(el);
    const sent: MenteoPostSendEvent[] = [];
    let created: MenteoPostCreateEvent | undefined;
    el.addEventListener('menteo-post-send', (e) => sent.push(e));
    el.addEventListener('menteo-post-create', (e) => (created = e), { once: true });
    textarea.focus();
    await sendKeys({ type: 'Standalone composer' });
    await pressWith('Enter', 'Control');
    await until(() => created, 'menteo-post-create');
    expect(sent.length).to.equal(1);
    expect(sent[0]!.post.id).to.match(/^pending:/);
    expect((await sent[0]!.result).id).to.equal(created!.post.id);
    const stored = (await world.admin.posts.list({ roomId: set.room.id, limit: 5 })).items;
    expect(stored.map((p) => p.body)).to.deep.equal(['Standalone composer']);
    await until(() => deepActiveElement() === $(el, 'textarea'), 'focus back in the text area');
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('');
    expect($(el, '[data-announcer=polite]').textContent).to.contain('published');
  });

  it('is form-associated: a host form submits the post as JSON under its name, and its reset clears the draft', async () => {
    const set = await world.newRoom();
    const form = document.createElement('form');
    document.body.append(form);
    const el = await mount(set, set.mentee, { name: 'post' }, form);
    const textarea = await until(() => $$<HTMLTextAreaElement>(el, 'textarea')[0], 'the composer');
    textarea.value = 'In a host form';
    textarea.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await el.updateComplete;
    expect(el.form).to.equal(form);
    expect(JSON.parse(String(new FormData(form).get('post')))).to.deep.equal({ body: 'In a host form', audience: 'room', milestoneId: null });
    expect(localStorage.length).to.equal(1);
    form.reset();
    await el.updateComplete;
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('');
    expect(localStorage.length).to.equal(0);
  });

  it('renders nothing for a thread the person did not write (the server would refuse with 403)', async () => {
    const set = await world.newRoom();
    const post = await world.postAs(set.mentee, set.room.id, 'Mine');
    const el = await mount(set, set.mentor, { 'thread-id': post.threadId });
    for (let i = 0; i < 10; i += 1) await new Promise((r) => requestAnimationFrame(r));
    expect(el.canPost).to.equal(false);
    expect($$(el, 'form').length).to.equal(0);
    const own = await mount(set, set.mentee, { 'thread-id': post.threadId });
    await until(() => own.canPost && $$(own, 'form').length === 1, "the author's composer");
  });

  it('loads the room roadmap milestones itself when no feed passes them', async () => {
    const set = await world.newRoom();
    await world.roadmap(set.mentor, set.room.id, '2026-01-01', [{ title: 'Own a service', dueDate: '2027-01-01', status: 'planned' }]);
    const el = await mount(set);
    const select = await until(() => $$<HTMLSelectElement>(el, 'select[data-field=milestone]')[0], 'the milestone field');
    expect([...select.options].map((o) => o.textContent?.trim())).to.deep.equal(['No milestone', 'Own a service']);
    await expectAccessible(el);
  });
});
