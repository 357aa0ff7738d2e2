import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Person } from '@menteo/api/people';
import type { MatchRequest } from '@menteo/api/matching';
import { programsApi } from '@menteo/client/programs';
import { matchingApi } from '@menteo/client/matching';
import '../define/provider.js';
import '../define/match-suggestions.js';
import '../define/match-requests.js';
import type { MenteoMatchSuggestions } from './match-suggestions.js';
import type { MenteoMatchRequests } from '../match-requests/match-requests.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { describe as describeElement } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from '../internal/format.js';

// Against the real server app in the page (`@menteo/mock`): set-up through the API with the
// organization's key, as a host backend would; the widgets sign in as the mentee and the mentor.
const world = useWorld();
const nameOf = (e: Element | null | undefined) => (e ? describeElement(e) : 'nothing');
let n = 0;

/** A self-serve program with a template, a cohort, and `mentors` enrolled with their profiles set. */
async function selfServeCohort(mentors: Array<{ name: string; offers: string[]; capacity: number }>) {
  const programs = programsApi(world.admin);
  const program = await programs.create({ name: `Self-serve ${++n}` });
  await matchingApi(world.admin).settings.update(program.id, { selfServe: true });
  const template = await programs.templates.create(program.id, { name: 'First month', horizonDays: 30, milestones: [{ title: 'Agree on goals', dayOffset: 7 }] });
  const today = todayDateOnly();
  const cohort = await programs.cohorts.create(program.id, { name: `Cohort ${n}`, startDate: today, endDate: addDays(today, 90), templateId: template.id });
  const people: Person[] = [];
  for (const m of mentors) {
    const mentor = await world.person(m.name, ['mentor']);
    await programs.cohorts.enrol(cohort.id, mentor.id, 'mentor');
    await matchingApi(world.as(mentor)).profile.update({ offers: m.offers, capacity: m.capacity, goals: 'I like to help with reviews and design', timeZone: 'Europe/Paris', languages: ['en', 'fr'] });
    people.push(mentor);
  }
  const mentee = await world.person('Mia Mentee');
  await programs.cohorts.enrol(cohort.id, mentee.id, 'mentee');
  return { program, cohort, mentors: people, mentee, programs };
}

async function type(text: string): Promise<void> {
  await sendKeys({ type: text });
}

async function press(key: string): Promise<void> {
  await sendKeys({ press: key });
}

/** Tabs until `predicate` holds for the focused element (at most `max` presses). */
async function tabTo(predicate: (el: Element | null) => boolean, what: string, max = 30): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if (predicate(deepActiveElement())) return;
    await press('Tab');
  }
  throw new Error(`Tab never reached ${what}; focus on ${nameOf(deepActiveElement())}`);
}

async function mountMentee(cohortId: string, mentee: Person, providerAttrs: Record<string, string> = {}) {
  const { el } = await mountAs<MenteoMatchSuggestions>(world, mentee, 'menteo-match-suggestions', { 'cohort-id': cohortId }, { providerAttrs });
  await until(() => el.shadowRoot?.querySelector('[data-suggestions-heading], .state--error'), 'the suggestions');
  return el;
}

describe('<menteo-match-suggestions> and <menteo-match-requests>', () => {
  it('self-match from the keyboard: the mentee fills in their profile, sees reasons and asks; the mentor accepts; the room exists', async function () {
    this.timeout(60_000);
    const { cohort, mentors, mentee, programs } = await selfServeCohort([{ name: 'Max Mentor', offers: ['code-review', 'testing'], capacity: 2 }]);
    const [mentor] = mentors as [Person];
    const el = await mountMentee(cohort.id, mentee);
    await expectAccessible(el);

    // A never-edited profile opens its form; the completeness says what is missing.
    expect($(el, '[part=completeness]').textContent).to.contain('0%');
    const skills = $<HTMLInputElement>(el, '.profile-form input[name=skills]');
    skills.focus();
    await type('Code review, System design');
    await press('Tab');
    await type('I want to review code with confidence');
    await press('Tab');
    await tabTo((a) => a?.getAttribute('name') === 'timeZone', 'the time zone');
    await type('Europe/Paris');
    await tabTo((a) => a?.getAttribute('name') === 'languages', 'the languages');
    await type('en');
    await press('Enter');
    // Announced once the suggestions are loaded again for the new profile.
    await until(() => el.shadowRoot?.querySelector('[data-announcer=polite]')?.textContent?.includes('Profile saved. Your suggestions are updated.'), 'saved');
    expect(el.shadowRoot!.querySelector('[part=completeness]')?.getAttribute('data-complete')).to.equal('true');
    expect((await matchingApi(world.as(mentee)).profile.get()).wants).to.deep.equal(['code-review', 'system-design']);

    // The suggestion, with its reasons phrased for the mentee.
    const card = await until(() => $$(el, '[part=suggestion]').find((c) => c.getAttribute('data-mentor') === mentor.id), 'the suggested mentor');
    const reasons = card.querySelector('[part=reasons]')!;
    expect(reasons.querySelector('[data-factor=skills]')?.textContent).to.contain('They offer 1 of the 2 skills you want to learn: code-review.');
    expect(reasons.querySelector('[data-factor=language]')?.textContent).to.contain('You both speak en.');
    expect(reasons.querySelector('[data-factor=skills]')?.textContent).to.match(/\d+ of 40 points/);
    expect(card.textContent).to.contain('2 free seats');
    await expectAccessible(el);

    // Ask: the button opens a note, focused; Tab to Send, Enter.
    const created: MatchRequest[] = [];
    document.body.addEventListener('menteo-match-request-create', (e) => created.push(e.request));
    const ask = card.querySelector<HTMLButtonElement>('[data-action=ask]')!;
    ask.focus();
    await press('Enter');
    await until(() => deepActiveElement()?.localName === 'textarea', 'focus in the note');
    await type('Could we start next week?');
    await press('Tab');
    expect(deepActiveElement()?.textContent?.trim()).to.equal('Send request');
    await press('Enter');
    const request = await until(() => el.shadowRoot?.querySelector('[part=request][data-status=pending]'), 'the pending request');
    expect(request.textContent).to.contain('Waiting for an answer');
    expect(deepActiveElement()?.localName).to.equal('h4');
    expect(created.map((r) => [r.mentor.id, r.status, r.message])).to.deep.equal([[mentor.id, 'pending', 'Could we start next week?']]);
    // One request at a time: the other Ask buttons wait.
    await expectAccessible(el);

    // The mentor sees it with the mentee's note and reasons, and accepts from the keyboard.
    const mentorSide = document.createElement('div');
    document.body.append(mentorSide);
    const { el: inbox } = await mountAs<MenteoMatchRequests>(world, mentor, 'menteo-match-requests', {}, { container: mentorSide });
    const incoming = await until(() => inbox.shadowRoot?.querySelector('[part=request][data-status=pending]'), 'the incoming request');
    expect(incoming.textContent).to.contain('Mia Mentee');
    expect(incoming.textContent).to.contain('Could we start next week?');
    expect(incoming.querySelector('[data-factor=skills]')?.textContent).to.contain('The mentor offers 1 of the 2 skills wanted: code-review.');
    await expectAccessible(inbox);
    const answers: MatchRequest[] = [];
    mentorSide.addEventListener('menteo-match-request-answer', (e) => answers.push(e.request));
    incoming.querySelector<HTMLButtonElement>('[data-action=accept]')!.focus();
    await press('Enter');
    await until(() => inbox.shadowRoot?.querySelector('[part=request][data-status=accepted]'), 'the accepted request');
    expect(inbox.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent).to.contain('You accepted Mia Mentee: your mentoring room is open.');
    await expectAccessible(inbox);

    // The room exists, in the cohort, with both people and the template's roadmap.
    const [answered] = (await matchingApi(world.as(mentee)).requests.list({ role: 'mentee' })).items;
    expect(answered?.status).to.equal('accepted');
    expect(answers.map((r) => [r.status, r.roomId]), 'the host page learns where the room is').to.deep.equal([['accepted', answered!.roomId]]);
    const room = await world.admin.rooms.get(answered!.roomId!);
    expect(room.members.map((m) => [m.person.id, m.role]).sort()).to.deep.equal([[mentee.id, 'mentee'], [mentor.id, 'mentor']].sort());
    const cohortRooms = await programs.cohorts.rooms.list(cohort.id).toArray(5);
    const opened = cohortRooms.find((r) => r.room.id === room.id);
    expect(opened?.template?.roadmapId, "the room's roadmap started from the cohort's template").to.be.a('string');

    // The mentee sees the answer once the widget loads again.
    el.refresh();
    await until(() => el.shadowRoot?.querySelector('[part=request][data-status=accepted]'), 'accepted, on the mentee side');
    expect($(el, '[part=request]').textContent).to.contain('Max Mentor accepted: your mentoring room is open.');
    await expectAccessible(el);
  });

  it("shows the mentor's acceptance live, without a reload: the mentee's own `me` events say they joined the room", async function () {
    this.timeout(40_000);
    const { cohort, mentors, mentee } = await selfServeCohort([{ name: 'Lou Live', offers: ['testing'], capacity: 2 }]);
    const [mentor] = mentors as [Person];
    const asked = await matchingApi(world.as(mentee)).requests.create({ cohortId: cohort.id, mentorId: mentor.id });
    const el = await mountMentee(cohort.id, mentee);
    await until(() => el.shadowRoot?.querySelector('[part=request][data-status=pending]'), 'the pending request');
    await matchingApi(world.as(mentor)).requests.respond(asked.id, { decision: 'accept' });
    await until(() => el.shadowRoot?.querySelector('[part=request][data-status=accepted]'), 'accepted, live, on the mentee side');
    expect($(el, '[part=request]').textContent).to.contain('Lou Live accepted: your mentoring room is open.');
    await until(() => el.shadowRoot?.querySelector('[data-announcer=polite]')?.textContent?.includes('Lou Live accepted'), 'the polite announcement');
    await expectAccessible(el);
  });

  it('says clearly when the mentor filled up meanwhile, and lets the mentee withdraw a pending request', async () => {
    const { cohort, mentors, mentee } = await selfServeCohort([
      { name: 'Fay Full', offers: ['testing'], capacity: 1 },
      { name: 'Olly Open', offers: ['testing'], capacity: 3 },
    ]);
    const [full, open] = mentors as [Person, Person];
    await matchingApi(world.as(mentee)).profile.update({ wants: ['testing'], goals: 'Better tests', timeZone: 'Europe/Paris', languages: ['en'] });
    const el = await mountMentee(cohort.id, mentee);
    const card = await until(() => $$(el, '[part=suggestion]').find((c) => c.getAttribute('data-mentor') === full.id), 'the mentor about to fill up');
    expect(card.textContent).to.contain('1 free seat left');

    // Another mentee takes Fay's only seat meanwhile.
    const other = await world.person('Ozzie Other');
    await programsApi(world.admin).cohorts.enrol(cohort.id, other.id, 'mentee');
    const theirs = await matchingApi(world.as(other)).requests.create({ cohortId: cohort.id, mentorId: full.id });
    await matchingApi(world.as(full)).requests.respond(theirs.id, { decision: 'accept' });

    card.querySelector<HTMLButtonElement>('[data-action=ask]')!.click();
    await until(() => deepActiveElement()?.localName === 'textarea', 'the note');
    await press('Tab');
    await press('Enter');
    const notice = await until(() => card.querySelector('.notice--full'), 'the capacity notice');
    expect(notice.textContent).to.contain('Fay Full has no free seat any more. Choose another mentor.');
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(card.textContent).to.contain('No free seat');
    await expectAccessible(el);

    // Ask the other mentor, then withdraw from the keyboard.
    const second = $$(el, '[part=suggestion]').find((c) => c.getAttribute('data-mentor') === open.id)!;
    second.querySelector<HTMLButtonElement>('[data-action=ask]')!.click();
    await until(() => deepActiveElement()?.localName === 'textarea', 'the note');
    await press('Tab');
    await press('Enter');
    const pending = await until(() => el.shadowRoot?.querySelector('[part=request][data-status=pending]'), 'the pending request');
    const withdrawn: MatchRequest[] = [];
    el.addEventListener('menteo-match-request-withdraw', (e) => withdrawn.push(e.request));
    pending.querySelector<HTMLButtonElement>('[data-action=withdraw]')!.focus();
    await press('Enter');
    await until(() => !el.shadowRoot?.querySelector('[part=request][data-status=pending]'), 'no pending request');
    expect(el.shadowRoot!.querySelector('[part=request]')?.getAttribute('data-status')).to.equal('withdrawn');
    expect(el.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent).to.contain('Request to Olly Open withdrawn.');
    expect(withdrawn.map((r) => [r.mentor.id, r.status])).to.deep.equal([[open.id, 'withdrawn']]);
    await expectAccessible(el);
  });

  it('offers a re-match when the ratings stay low; the next request replaces the room, and the mentor sees it is one', async function () {
    this.timeout(40_000);
    const { program, cohort, mentors, mentee } = await selfServeCohort([
      { name: 'Lou Low', offers: ['testing'], capacity: 2 },
      { name: 'Neo Next', offers: ['testing'], capacity: 2 },
    ]);
    const [low, next] = mentors as [Person, Person];
    await matchingApi(world.admin).settings.update(program.id, { rematchBelow: 2 });
    const me = matchingApi(world.as(mentee));
    await me.profile.update({ wants: ['testing'], goals: 'Tests', timeZone: 'Europe/Paris', languages: ['en'] });
    const first = await me.requests.create({ cohortId: cohort.id, mentorId: low.id });
    const accepted = await matchingApi(world.as(low)).requests.respond(first.id, { decision: 'accept' });
    for (const rating of [1, 2]) await world.as(mentee).feedback.create(accepted.roomId!, { subject: 'room', rating });

    const el = await mountMentee(cohort.id, mentee);
    const offer = await until(() => el.shadowRoot?.querySelector(`[data-rematch="${accepted.roomId}"]`), 'the re-match offer');
    expect(offer.textContent).to.contain('Your ratings of the room with Lou Low stay low: 1.5 on average over 2 ratings');
    expect(el.shadowRoot!.textContent).to.contain('You have a mentor in this cohort: Lou Low.');
    await expectAccessible(el);
    offer.querySelector<HTMLButtonElement>('[data-action=rematch]')!.focus();
    await press('Enter');
    const card = await until(() => $$(el, '[part=suggestion]').find((c) => c.getAttribute('data-mentor') === next.id), 'another mentor');
    expect(el.shadowRoot!.textContent).to.contain('Re-match: your request replaces your room with Lou Low.');
    card.querySelector<HTMLButtonElement>('[data-action=ask]')!.click();
    await until(() => deepActiveElement()?.localName === 'textarea', 'the note');
    await press('Tab');
    await press('Enter');
    await until(() => el.shadowRoot?.querySelector('[part=request][data-status=pending]'), 'the re-match request');
    expect($(el, '[part=request][data-status=pending]').textContent).to.contain('A re-match: it replaces your current room once accepted.');
    await expectAccessible(el);

    const { el: inbox } = await mountAs<MenteoMatchRequests>(world, next, 'menteo-match-requests');
    const incoming = await until(() => inbox.shadowRoot?.querySelector('[part=request][data-status=pending]'), 'the incoming re-match');
    expect(incoming.textContent).to.contain('A re-match: their ratings in their current room stayed low');
  });

  it('phrases the reasons in French', async () => {
    const { cohort, mentors, mentee } = await selfServeCohort([{ name: 'Max Mentor', offers: ['testing'], capacity: 1 }]);
    await matchingApi(world.as(mentee)).profile.update({ wants: ['testing'], goals: 'Tests', timeZone: 'Europe/Paris', languages: ['fr'] });
    const el = await mountMentee(cohort.id, mentee, { locale: 'fr' });
    const card = await until(() => $$(el, '[part=suggestion]').find((c) => c.getAttribute('data-mentor') === mentors[0]!.id), 'the suggestion');
    await until(() => el.shadowRoot?.querySelector('h2')?.textContent === 'Trouver un mentor', 'French');
    expect(card.querySelector('[data-factor=language]')?.textContent).to.contain('Vous parlez tous les deux fr.');
    expect(card.querySelector('[data-factor=skills]')?.textContent).to.contain('points');
    await expectAccessible(el);
  });

  it('tells a mentee of a program without self-serve that the program team matches them', async () => {
    const programs = programsApi(world.admin);
    const program = await programs.create({ name: `Admin-matched ${++n}` });
    await matchingApi(world.admin).settings.update(program.id, { selfServe: false });
    const today = todayDateOnly();
    const cohort = await programs.cohorts.create(program.id, { name: 'Closed', startDate: today, endDate: addDays(today, 30) });
    const mentee = await world.person('Mo Mentee');
    await programs.cohorts.enrol(cohort.id, mentee.id, 'mentee');
    const el = await mountMentee(cohort.id, mentee);
    await until(() => el.shadowRoot?.textContent?.includes('the program team matches its mentees'), 'the message');
    await expectAccessible(el);
  });
});
