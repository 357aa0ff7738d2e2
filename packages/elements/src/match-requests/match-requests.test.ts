import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Person } from '@menteo/api/people';
import { programsApi } from '@menteo/client/programs';
import { matchingApi } from '@menteo/client/matching';
import '../define/provider.js';
import '../define/match-requests.js';
import type { MenteoMatchRequests } from './match-requests.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from '../internal/format.js';

// Against the real server app in the page (`@menteo/mock`).
const world = useWorld();
let n = 0;

/** A self-serve cohort with one mentor (capacity 1) and two mentees who each asked them. */
async function twoRequests() {
  const programs = programsApi(world.admin);
  const program = await programs.create({ name: `Requests ${++n}` });
  await matchingApi(world.admin).settings.update(program.id, { selfServe: true });
  const today = todayDateOnly();
  const cohort = await programs.cohorts.create(program.id, { name: `Cohort ${n}`, startDate: today, endDate: addDays(today, 60) });
  const mentor = await world.person('Max Mentor', ['mentor']);
  await programs.cohorts.enrol(cohort.id, mentor.id, 'mentor');
  await matchingApi(world.as(mentor)).profile.update({ offers: ['testing'], capacity: 1, timeZone: 'Europe/Paris', languages: ['en'] });
  const mentees: Person[] = [];
  for (const name of ['Ann First', 'Bob Second']) {
    const mentee = await world.person(name);
    await programs.cohorts.enrol(cohort.id, mentee.id, 'mentee');
    await matchingApi(world.as(mentee)).profile.update({ wants: ['testing'], goals: 'Write better tests', timeZone: 'Europe/Paris', languages: ['en'] });
    await matchingApi(world.as(mentee)).requests.create({ cohortId: cohort.id, mentorId: mentor.id, message: `Hello from ${name}` });
    mentees.push(mentee);
  }
  return { cohort, mentor, mentees };
}

async function mount(mentor: Person, attrs: Record<string, string> = {}) {
  const { el } = await mountAs<MenteoMatchRequests>(world, mentor, 'menteo-match-requests', attrs);
  await until(() => el.shadowRoot?.querySelector('[part=request], .state--empty, .state--error'), 'the requests');
  return el;
}

const card = (el: Element, name: string) => $$(el, '[part=request]').find((c) => c.textContent?.includes(name));

describe('<menteo-match-requests>', () => {
  it('accepts one request, then shows the capacity refusal clearly; declines the other with a note', async function () {
    this.timeout(40_000);
    const { cohort, mentor, mentees } = await twoRequests();
    const el = await mount(mentor, { 'cohort-id': cohort.id });
    expect($$(el, '[part=request][data-status=pending]').length).to.equal(2);
    await expectAccessible(el);

    // Bob is newest (first); Ann is accepted, which fills the only seat.
    const ann = card(el, 'Ann First')!;
    expect(ann.textContent).to.contain('Hello from Ann First');
    ann.querySelector<HTMLButtonElement>('[data-action=accept]')!.click();
    await until(() => card(el, 'Ann First')?.getAttribute('data-status') === 'accepted', 'Ann accepted');

    const bob = card(el, 'Bob Second')!;
    bob.querySelector<HTMLButtonElement>('[data-action=accept]')!.focus();
    await sendKeys({ press: 'Enter' });
    const notice = await until(() => card(el, 'Bob Second')?.querySelector('.notice--full'), 'the capacity notice');
    expect(notice.textContent).to.contain('You are at capacity: you mentor 1 people at once already.');
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(card(el, 'Bob Second')?.getAttribute('data-status')).to.equal('pending');
    await expectAccessible(el);

    // Decline with a note: the form opens focused, Tab to Decline, Enter.
    card(el, 'Bob Second')!.querySelector<HTMLButtonElement>('[data-action=decline]')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => deepActiveElement()?.localName === 'textarea', 'the note');
    await sendKeys({ type: 'I am full this quarter' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await until(() => card(el, 'Bob Second')?.getAttribute('data-status') === 'declined', 'Bob declined');
    const [bobs] = (await matchingApi(world.as(mentees[1]!)).requests.list({ role: 'mentee' })).items;
    expect([bobs?.status, bobs?.responseNote]).to.deep.equal(['declined', 'I am full this quarter']);
    await expectAccessible(el);
  });

  it('edits the mentor profile from the keyboard: capacity and skills offered', async () => {
    const mentor = await world.person('Nia New', ['mentor']);
    const el = await mount(mentor);
    // Never edited: the form is open, and the empty state says what will appear.
    expect(el.shadowRoot!.querySelector('.state--empty')?.textContent).to.contain('No request waiting');
    const skills = $<HTMLInputElement>(el, '.profile-form input[name=skills]');
    skills.focus();
    await sendKeys({ type: 'Testing, Bad skill!' });
    await sendKeys({ press: 'Enter' });
    // A skill that is not a slug is refused in place, focused, before anything is sent.
    await until(() => deepActiveElement()?.getAttribute('aria-invalid') === 'true', 'the invalid field focused');
    expect(el.shadowRoot!.querySelector('.profile-form .error-text')?.textContent).to.contain('bad-skill!');
    await expectAccessible(el);
    skills.value = '';
    await sendKeys({ type: 'Testing, Pairing' });
    const capacity = $<HTMLInputElement>(el, '.profile-form input[name=capacity]');
    capacity.focus();
    capacity.select();
    await sendKeys({ type: '3' });
    await sendKeys({ press: 'Enter' });
    await until(() => el.shadowRoot?.querySelector('[data-announcer=polite]')?.textContent?.includes('Profile saved.'), 'saved');
    const saved = await matchingApi(world.as(mentor)).profile.get();
    expect([saved.offers, saved.capacity]).to.deep.equal([['testing', 'pairing'], 3]);
    expect(el.shadowRoot!.textContent).to.contain('You take up to 3 mentees at once.');
    await expectAccessible(el);
  });
});
