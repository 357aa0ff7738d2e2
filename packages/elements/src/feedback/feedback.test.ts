import { expect } from '@open-wc/testing';
import '../define/provider.js';
import '../define/feedback.js';
import type { MenteoFeedback } from './feedback.js';
import { sendKeys } from '@web/test-runner-commands';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { mountAs, recordRequests, useWorld } from '../test-support/real-api.js';
import type { MenteoFeedbackSubmitEvent } from '../events.js';
import { describe as describeElement } from '../test-support/a11y.js';

/** A short name for failure messages (chai would print a whole DOM graph). */
const nameOf = (e: Element | null | undefined) => (e ? describeElement(e) : 'nothing');

// Against the real server app in the page (`@menteo/mock`).
const world = useWorld();

describe('<menteo-feedback>', () => {
  it('rates a session with words for every step and sends it', async () => {
    const set = await world.newRoom();
    const note = await world.as(set.mentor).rooms.notes.create(set.room.id, { sessionDate: '2026-11-20', summary: 'Pairing on reviews' });
    const { el } = await mountAs<MenteoFeedback>(world, set.mentee, 'menteo-feedback', { 'room-id': set.room.id, subject: 'session', 'subject-id': note.id });
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
    const stored = await world.admin.feedback.list(set.room.id).toArray(10);
    expect(stored.map((f) => ({ subject: f.subject, subjectId: f.subjectId, rating: f.rating, comment: f.comment, direction: f.direction, author: f.author.id }))).to.deep.equal([
      { subject: 'session', subjectId: note.id, rating: 5, comment: 'The pairing helped', direction: 'mentee_to_mentor', author: set.mentee.id },
    ]);
    expect(events[0]?.feedback.rating).to.equal(5);
  });

  it('requires a rating', async () => {
    const set = await world.newRoom();
    const { el } = await mountAs<MenteoFeedback>(world, set.mentee, 'menteo-feedback', { 'room-id': set.room.id });
    await until(() => el.shadowRoot?.querySelector('form'), 'form');
    const sent = recordRequests(world, 'POST', /\/feedback$/);
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => $(el, '.rating .error-text').textContent === 'Choose a rating.', 'error');
    sent.stop();
    expect(sent.length).to.equal(0);
    await expectAccessible(el);
  });

  it('explains when the person may not give feedback', async () => {
    const set = await world.newRoom();
    const { el } = await mountAs<MenteoFeedback>(world, set.mentee, 'menteo-feedback', { 'room-id': set.room.id }, { scopes: ['rooms:read'] });
    await until(() => el.shadowRoot?.querySelector('form'), 'form');
    expect($(el, 'form').textContent).to.contain('cannot give feedback');
    expect($<HTMLButtonElement>(el, 'button[type=submit]').disabled).to.equal(true);
  });

  it('keeps keyboard focus on the send button after sending (it fell to <body>: the button was disabled in flight)', async () => {
    const set = await world.newRoom();
    const { el } = await mountAs<MenteoFeedback>(world, set.mentee, 'menteo-feedback', { 'room-id': set.room.id });
    await until(() => el.shadowRoot?.querySelector('form'), 'form');
    const events: MenteoFeedbackSubmitEvent[] = [];
    el.addEventListener('menteo-feedback-submit', (e) => events.push(e));
    $$<HTMLInputElement>(el, 'input[type=radio]')[3]!.click();
    const button = $<HTMLButtonElement>(el, 'button[type=submit]');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => events.length === 1, 'sent');
    await el.updateComplete;
    expect(deepActiveElement() === button, `focus on ${nameOf(button)}, not ${nameOf(deepActiveElement())}`).to.equal(true);
    expect($(el, '.sent').textContent).to.contain('Feedback sent');
    await expectAccessible(el);
  });
});
