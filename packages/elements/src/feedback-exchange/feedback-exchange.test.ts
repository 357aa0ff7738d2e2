import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/feedback-exchange.js';
import type { MenteoFeedbackExchange } from './feedback-exchange.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { describe as describeElement } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';

/** A short name for failure messages (chai would print a whole DOM graph). */
const nameOf = (e: Element | null | undefined) => (e ? describeElement(e) : 'nothing');

// Against the real server app in the page (`@menteo/mock`).
const world = useWorld();

async function mount(roomId: string, as: Parameters<typeof mountAs>[1]) {
  const { el } = await mountAs<MenteoFeedbackExchange>(world, as, 'menteo-feedback-exchange', { 'room-id': roomId });
  await until(() => el.shadowRoot?.querySelector('menteo-feedback, section, .state--error'), 'the exchange');
  return el;
}

describe('<menteo-feedback-exchange>', () => {
  it('a mentor asks for feedback from the keyboard; the mentee answers the request, which is then answered', async function () {
    this.timeout(30_000);
    const set = await world.newRoom();
    const mentor = await mount(set.room.id, set.mentor);
    await expectAccessible(mentor);
    const message = $<HTMLTextAreaElement>(mentor, 'textarea[name=message]');
    message.focus();
    await sendKeys({ type: 'Was the on-call walkthrough too fast?' });
    await sendKeys({ press: 'Tab' });
    const ask = $<HTMLButtonElement>(mentor, 'form button[type=submit]');
    expect(deepActiveElement() === ask, `focus on Ask, not ${nameOf(deepActiveElement())}`).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await until(() => mentor.shadowRoot?.querySelector('.sent, .error-text:not(:empty)')?.textContent?.trim(), 'an answer');
    expect(mentor.shadowRoot?.querySelector('.sent, .error-text:not(:empty)')?.textContent).to.contain('Asked Mia Mentee for feedback.');
    expect(deepActiveElement() === ask, `focus stays on Ask, not ${nameOf(deepActiveElement())}`).to.equal(true);
    mentor.remove();

    const mentee = await mount(set.room.id, set.mentee);
    const answer = await until(() => $$<HTMLButtonElement>(mentee, '[part=request] button')[0], 'the request');
    expect($(mentee, '[part=request]').textContent).to.contain('Was the on-call walkthrough too fast?');
    await expectAccessible(mentee);
    answer.focus();
    await sendKeys({ press: 'Enter' });
    const form = $(mentee, 'menteo-feedback');
    await until(() => form.getAttribute('request-id'), 'the form answers the request');
    await until(() => deepActiveElement()?.getAttribute('type') === 'radio', 'focus on the first rating');
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    const [open] = await world.admin.feedback.requests.list(set.room.id, { state: 'open' }).toArray(1);
    form.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await until(() => !mentee.shadowRoot?.querySelector('[part=request]'), 'the request is no longer open');
    const answered = await world.admin.feedback.requests.list(set.room.id, { state: 'answered' }).toArray(5);
    expect(answered.map((r) => r.id)).to.deep.equal([open?.id]);
    expect($(mentee, 'section:last-of-type').textContent).to.contain('3 of 5 (Helpful)');
    await expectAccessible(mentee);
  });

  it('shows observers every piece of feedback and no form', async () => {
    const observer = await world.person('Olga Observer');
    const set = await world.newRoom('Observed', [{ person: observer, role: 'observer' }]);
    await world.as(set.mentee).feedback.create(set.room.id, { subject: 'room', rating: 4, comment: 'Clear guidance' });
    const el = await mount(set.room.id, observer);
    await until(() => el.shadowRoot?.textContent?.includes('Clear guidance'), 'the feedback');
    expect(el.shadowRoot?.querySelector('menteo-feedback, form') == null, 'no form').to.equal(true);
    await expectAccessible(el);
  });
});
