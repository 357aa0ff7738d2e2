import { expect } from '@open-wc/testing';
import '../define/provider.js';
import '../define/feedback.js';
import type { MenteoFeedback } from './feedback.js';
import { $, $$, cleanupBody, expectAccessible, mountInProvider, until } from '../test-support/index.js';
import { FakeClient } from '../test-support/fake-client.js';
import type { MenteoFeedbackSubmitEvent } from '../events.js';

const ROOM = 'room_00000000000000000000000001';
const NOTE = 'note_00000000000000000000000001';

afterEach(cleanupBody);

describe('<menteo-feedback>', () => {
  it('rates a session with words for every step and sends it', async () => {
    const fake = new FakeClient();
    const { el } = await mountInProvider<MenteoFeedback>(fake.asClient(), 'menteo-feedback', {}, document.body, { 'room-id': ROOM, subject: 'session', 'subject-id': NOTE });
    await until(() => el.shadowRoot?.querySelector('form'), 'form');
    expect($(el, 'h2').textContent).to.equal('How useful was this session?');
    expect($$(el, '.rating__label').map((l) => l.textContent)).to.deep.equal(['Not helpful', 'Slightly helpful', 'Helpful', 'Very helpful', 'Exceptional']);
    await expectAccessible(el);
    const events: MenteoFeedbackSubmitEvent[] = [];
    el.addEventListener('menteo-feedback-submit', (e) => events.push(e));
    $$<HTMLInputElement>(el, 'input[type=radio]')[4]!.click();
    const t = $<HTMLTextAreaElement>(el, 'textarea');
    t.value = 'The pairing helped';
    t.dispatchEvent(new InputEvent('input'));
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => events.length === 1, 'event');
    expect(fake.calledWith('feedback.create')[0]?.args[1]).to.deep.equal({ subject: 'session', subjectId: NOTE, rating: 5, comment: 'The pairing helped' });
  });

  it('requires a rating', async () => {
    const fake = new FakeClient();
    const { el } = await mountInProvider<MenteoFeedback>(fake.asClient(), 'menteo-feedback', {}, document.body, { 'room-id': ROOM });
    await until(() => el.shadowRoot?.querySelector('form'), 'form');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => $(el, '.rating .error-text').textContent === 'Choose a rating.', 'error');
    expect(fake.calledWith('feedback.create').length).to.equal(0);
    await expectAccessible(el);
  });

  it('explains when the person may not give feedback', async () => {
    const { el } = await mountInProvider<MenteoFeedback>(new FakeClient({ scopes: ['rooms:read'] }).asClient(), 'menteo-feedback', {}, document.body, { 'room-id': ROOM });
    await until(() => el.shadowRoot?.querySelector('form'), 'form');
    expect($(el, 'form').textContent).to.contain('cannot give feedback');
    expect($<HTMLButtonElement>(el, 'button[type=submit]').disabled).to.equal(true);
  });
});
