import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/check-in.js';
import type { MenteoCheckIn } from './check-in.js';
import { $, $$, cleanupBody, deepActiveElement, expectAccessible, mountInProvider, until } from '../test-support/index.js';
import { FakeClient } from '../test-support/fake-client.js';
import type { MenteoCheckInSubmitEvent } from '../events.js';

const ROOM = 'room_00000000000000000000000001';

async function mount(fake: FakeClient, container: HTMLElement = document.body) {
  const { el } = await mountInProvider<MenteoCheckIn>(fake.asClient(), 'menteo-check-in', {}, container, { 'room-id': ROOM, name: 'checkin' });
  await until(() => el.shadowRoot?.querySelector('form'), 'the form');
  return el;
}

afterEach(cleanupBody);

describe('<menteo-check-in>', () => {
  it('renders an accessible form and refuses to send without progress and confidence', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await expectAccessible(el);
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => $$(el, '[aria-invalid=true]').length > 0, 'errors shown');
    expect($(el, 'form').textContent).to.contain('Say what moved forward');
    expect($(el, 'form').textContent).to.contain('Choose how confident');
    expect(deepActiveElement()?.localName).to.equal('textarea');
    expect(fake.calledWith('checkIns.create').length).to.equal(0);
    await expectAccessible(el);
  });

  it('is operable from the keyboard and sends, then clears the draft', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    const events: MenteoCheckInSubmitEvent[] = [];
    document.addEventListener('menteo-check-in-submit', (e) => events.push(e));
    $<HTMLTextAreaElement>(el, 'textarea').focus();
    await sendKeys({ type: 'Shipped my first review' });
    expect(localStorage.getItem(`menteo:draft:v1:check-in:${fake.viewer.id}:${ROOM}`)).to.contain('Shipped my first review');
    await sendKeys({ press: 'Tab' }); // blockers
    await sendKeys({ press: 'Tab' }); // first radio
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' }); // confidence 4
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()?.getAttribute('type')).to.equal('submit');
    await sendKeys({ press: 'Enter' });
    await until(() => events.length === 1, 'menteo-check-in-submit');
    expect(fake.calledWith('checkIns.create')[0]?.args[1]).to.deep.equal({ progress: 'Shipped my first review', confidence: 4 });
    expect(events[0]?.checkIn.confidence).to.equal(4);
    expect(localStorage.length).to.equal(0);
    await until(() => el.shadowRoot?.querySelector('.sent'), 'thank you');
  });

  it('keeps everything when sending fails, and retries with the same idempotency key', async () => {
    const fake = new FakeClient();
    fake.fail('checkIns.create', Object.assign(new Error('x'), { code: 'unavailable', status: 503 }));
    const el = await mount(fake);
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
    const keys = fake.calledWith('checkIns.create').map((c) => (c.args[2] as { idempotencyKey: string }).idempotencyKey);
    expect(keys[0]).to.equal(keys[1]);
  });

  it('takes part in a host form: value, validity and reset', async () => {
    const form = document.createElement('form');
    document.body.append(form);
    const el = await mount(new FakeClient(), form);
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
    const el = await mount(new FakeClient(), fieldset);
    fieldset.disabled = true;
    await until(() => $<HTMLButtonElement>(el, 'button[type=submit]').disabled, 'disabled');
  });
});
