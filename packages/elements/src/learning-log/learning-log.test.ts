import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/learning-log.js';
import type { MenteoLearningLog } from './learning-log.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { mountAs, recordRequests, useWorld } from '../test-support/real-api.js';
import type { MenteoLearningCreateEvent } from '../events.js';
import { describe as describeElement } from '../test-support/a11y.js';

/** A short name for failure messages (chai would print a whole DOM graph). */
const nameOf = (e: Element | null | undefined) => (e ? describeElement(e) : 'nothing');

// Against the real server app in the page (`@menteo/mock`); failures come from its fault builders.
const world = useWorld();

async function mount(roomId: string, as: Parameters<typeof mountAs>[1]) {
  const { el } = await mountAs<MenteoLearningLog>(world, as, 'menteo-learning-log', { 'room-id': roomId });
  await until(() => el.shadowRoot?.querySelector('.list, .state--empty, .state--error'), 'the log');
  return el;
}

describe('<menteo-learning-log>', () => {
  it('lets a mentor log a learning with skills from the keyboard, and keeps focus on the button', async () => {
    const set = await world.newRoom();
    const el = await mount(set.room.id, set.mentor);
    expect($(el, '.state--empty').textContent).to.contain('Nothing logged yet');
    await expectAccessible(el);
    const events: MenteoLearningCreateEvent[] = [];
    el.addEventListener('menteo-learning-create', (e) => events.push(e));
    $<HTMLTextAreaElement>(el, 'textarea').focus();
    await sendKeys({ type: 'Our on-call doc assumes too much' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Observability, writing' });
    await sendKeys({ press: 'Tab' });
    const button = $<HTMLButtonElement>(el, 'button[type=submit]');
    expect(deepActiveElement() === button, `focus on ${nameOf(button)}, not ${nameOf(deepActiveElement())}`).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await until(() => events.length === 1, 'added');
    await el.updateComplete;
    expect(deepActiveElement() === button, `focus on ${nameOf(button)}, not ${nameOf(deepActiveElement())}`).to.equal(true);
    const stored = await world.admin.learnings.list(set.room.id).toArray(5);
    expect(stored.map((l) => ({ body: l.body, skills: l.skills }))).to.deep.equal([{ body: 'Our on-call doc assumes too much', skills: ['observability', 'writing'] }]);
    expect($$(el, '[part=entry]').length).to.equal(1);
    expect($(el, '.skills').textContent).to.contain('observability');
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('');
    await expectAccessible(el);
  });

  it('keeps the text and says why when adding fails', async () => {
    const set = await world.newRoom();
    const el = await mount(set.room.id, set.mentor);
    world.mock.use(world.mock.faults.status(500, { method: 'POST', path: /\/learnings$/ }).handler);
    $<HTMLTextAreaElement>(el, 'textarea').value = 'Keep me';
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => $(el, '[data-announcer=assertive]').textContent?.includes('Not added'), 'the failure');
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('Keep me');
    await expectAccessible(el);
  });

  it('shows mentees the log without a form', async () => {
    const set = await world.newRoom();
    await world.as(set.mentor).learnings.create(set.room.id, { body: 'Pairing teaches me too' });
    const el = await mount(set.room.id, set.mentee);
    expect($(el, '[part=entry]').textContent).to.contain('Pairing teaches me too');
    expect((el.shadowRoot?.querySelector('form')) == null).to.equal(true);
    const sent = recordRequests(world, 'POST', /\/learnings$/);
    sent.stop();
    expect(sent.length).to.equal(0);
    await expectAccessible(el);
  });
});
