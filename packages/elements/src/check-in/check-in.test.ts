import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/check-in.js';
import type { MenteoCheckIn } from './check-in.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { mountAs, recordRequests, useWorld, type RoomSet } from '../test-support/real-api.js';
import type { MenteoCheckInSubmitEvent } from '../events.js';
import { describe as describeElement } from '../test-support/a11y.js';

/** A short name for failure messages (chai would print a whole DOM graph). */
const nameOf = (e: Element | null | undefined) => (e ? describeElement(e) : 'nothing');

// Against the real server app in the page (`@menteo/mock`); failures come from its fault builders.
const world = useWorld();

async function mount(set: RoomSet, container: HTMLElement = document.body) {
  const { el } = await mountAs<MenteoCheckIn>(world, set.mentee, 'menteo-check-in', { 'room-id': set.room.id, name: 'checkin' }, { container });
  await until(() => el.shadowRoot?.querySelector('form'), 'the form');
  return el;
}

async function storedCheckIns(set: RoomSet) {
  return world.admin.checkIns.list(set.room.id).toArray(10);
}

describe('<menteo-check-in>', () => {
  it('renders an accessible form and refuses to send without progress and confidence', async () => {
    const set = await world.newRoom();
    const el = await mount(set);
    const sent = recordRequests(world, 'POST', /\/check-ins$/);
    await expectAccessible(el);
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => $$(el, '[aria-invalid=true]').length > 0, 'errors shown');
    expect($(el, 'form').textContent).to.contain('Say what moved forward');
    expect($(el, 'form').textContent).to.contain('Choose how confident');
    expect(deepActiveElement()?.localName).to.equal('textarea');
    sent.stop();
    expect(sent.length).to.equal(0);
    await expectAccessible(el);
  });

  it('is operable from the keyboard and sends, then clears the draft', async () => {
    const set = await world.newRoom();
    const el = await mount(set);
    const events: MenteoCheckInSubmitEvent[] = [];
    el.addEventListener('menteo-check-in-submit', (e) => events.push(e));
    $<HTMLTextAreaElement>(el, 'textarea').focus();
    await sendKeys({ type: 'Shipped my first review' });
    expect(localStorage.getItem(`menteo:draft:v1:check-in:${set.mentee.id}:${set.room.id}`)).to.contain('Shipped my first review');
    await sendKeys({ press: 'Tab' }); // blockers
    await sendKeys({ press: 'Tab' }); // first radio
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' }); // confidence 4
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()?.getAttribute('type')).to.equal('submit');
    await sendKeys({ press: 'Enter' });
    await until(() => events.length === 1, 'menteo-check-in-submit');
    expect(events[0]?.checkIn.confidence).to.equal(4);
    const stored = await storedCheckIns(set);
    expect(stored.map((c) => ({ progress: c.progress, blockers: c.blockers, confidence: c.confidence, author: c.author.id }))).to.deep.equal([
      { progress: 'Shipped my first review', blockers: '', confidence: 4, author: set.mentee.id },
    ]);
    expect(localStorage.length).to.equal(0);
    await until(() => el.shadowRoot?.querySelector('.sent'), 'thank you');
  });

  it('keeps everything when sending fails, and retries with the same idempotency key', async () => {
    const set = await world.newRoom();
    const el = await mount(set);
    // The server stores the check-in but the answer is lost, on every attempt of the first send.
    world.mock.use(world.mock.faults.dropAfterApp(world.mock.app, { method: 'POST', path: /\/check-ins$/, times: 4 }).handler);
    const sent = recordRequests(world, 'POST', /\/check-ins$/);
    const t = $<HTMLTextAreaElement>(el, 'textarea');
    t.value = 'Progress';
    t.dispatchEvent(new InputEvent('input'));
    $<HTMLInputElement>(el, 'input[type=radio]').click();
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => el.shadowRoot?.querySelector('.actions .error-text'), 'the failure');
    expect($(el, '[data-announcer=assertive]').textContent).to.contain('Not sent');
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('Progress');
    expect(el.matches(':state(error)')).to.equal(true);
    await expectAccessible(el);
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => el.shadowRoot?.querySelector('.sent'), 'sent on retry');
    sent.stop();
    expect(sent.length).to.equal(5);
    expect(new Set(sent.map((r) => r.idempotencyKey)).size).to.equal(1);
    // Written once, though five requests carried it.
    expect((await storedCheckIns(set)).length).to.equal(1);
  });

  it('takes part in a host form: value, validity and reset', async () => {
    const form = document.createElement('form');
    document.body.append(form);
    const el = await mount(await world.newRoom(), form);
    expect(el.form).to.equal(form);
    expect(form.checkValidity()).to.equal(false);
    const t = $<HTMLTextAreaElement>(el, 'textarea');
    t.value = 'Good week';
    t.dispatchEvent(new InputEvent('input'));
    $$<HTMLInputElement>(el, 'input[type=radio]')[2]!.click();
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(true);
    expect(JSON.parse(String(new FormData(form).get('checkin')))).to.deep.equal({ progress: 'Good week', blockers: '', confidence: '3' });
    form.reset();
    await el.updateComplete;
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('');
    expect(localStorage.length).to.equal(0);
  });

  it('is disabled by a disabled fieldset', async () => {
    const form = document.createElement('form');
    const fieldset = document.createElement('fieldset');
    form.append(fieldset);
    document.body.append(form);
    const el = await mount(await world.newRoom(), fieldset);
    fieldset.disabled = true;
    await until(() => $<HTMLButtonElement>(el, 'button[type=submit]').disabled, 'disabled');
  });

  it('keeps keyboard focus on the send button after sending (it fell to <body>: the button was disabled in flight)', async () => {
    const set = await world.newRoom();
    const el = await mount(set);
    const events: MenteoCheckInSubmitEvent[] = [];
    el.addEventListener('menteo-check-in-submit', (e) => events.push(e));
    const t = $<HTMLTextAreaElement>(el, 'textarea');
    t.value = 'Paired on a review';
    t.dispatchEvent(new InputEvent('input'));
    $$<HTMLInputElement>(el, 'input[type=radio]')[2]!.click();
    const button = $<HTMLButtonElement>(el, 'button[type=submit]');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => events.length === 1, 'sent');
    await el.updateComplete;
    expect(deepActiveElement() === button, `focus on ${nameOf(button)}, not ${nameOf(deepActiveElement())}`).to.equal(true);
    await expectAccessible(el);
  });
});
