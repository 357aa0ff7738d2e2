import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Person } from '@menteo/api/people';
import { DEFAULT_EMBED_SCOPES, type Scope } from '@menteo/api/scopes';
import { programsApi } from '@menteo/client/programs';
import { matchingApi } from '@menteo/client/matching';
import '../define/provider.js';
import '../define/admin-matching.js';
import type { MenteoAdminMatching } from './admin-matching.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from '../internal/format.js';

// Against the real server app in the page (`@menteo/mock`), solver included.
const world = useWorld();
const ADMIN_SCOPES: Scope[] = [...DEFAULT_EMBED_SCOPES, 'org:admin'];
let n = 0;

/** A cohort with a template, two mentors (capacity 1 each) and two mentees, profiles filled in. */
async function cohortToMatch() {
  const programs = programsApi(world.admin);
  const program = await programs.create({ name: `Matching ${++n}` });
  const template = await programs.templates.create(program.id, { name: 'First month', horizonDays: 30, milestones: [{ title: 'Agree on goals', dayOffset: 7 }] });
  const today = todayDateOnly();
  const cohort = await programs.cohorts.create(program.id, { name: `Spring ${n}`, startDate: today, endDate: addDays(today, 90), templateId: template.id });
  const people: Record<string, Person> = {};
  for (const [name, role, skill] of [['Ada Mentor', 'mentor', 'testing'], ['Ben Mentor', 'mentor', 'design'], ['Cat Mentee', 'mentee', 'testing'], ['Dan Mentee', 'mentee', 'design']] as const) {
    const p = await world.person(name, role === 'mentor' ? ['mentor'] : undefined);
    await programs.cohorts.enrol(cohort.id, p.id, role);
    await matchingApi(world.as(p)).profile.update(
      role === 'mentor'
        ? { offers: [skill], capacity: 1, timeZone: 'Europe/Paris', languages: ['en'] }
        : { wants: [skill], goals: `Get better at ${skill}`, timeZone: 'Europe/Paris', languages: ['en'] },
    );
    people[name] = p;
  }
  return { cohort, people, programs };
}

async function mountAdmin(cohortId: string) {
  const admin = await world.person('Ada Admin', ['admin']);
  const { el } = await mountAs<MenteoAdminMatching>(world, admin, 'menteo-admin-matching', { 'cohort-id': cohortId }, { scopes: ADMIN_SCOPES });
  await until(() => el.shadowRoot?.querySelector('[data-cohort-heading]') && el.shadowRoot.querySelector('table caption'), 'the cohort and its profiles');
  return el;
}

const row = (el: Element, mentee: string) => $$(el, 'tr[data-pair]').find((r) => r.querySelector('th')?.textContent?.includes(mentee));

describe('<menteo-admin-matching>', () => {
  it('runs matching, shows reasons, swaps, locks, leaves out and re-runs, then publishes into rooms; every run stays listed with its inputs', async function () {
    this.timeout(60_000);
    const { cohort, people, programs } = await cohortToMatch();
    const el = await mountAdmin(cohort.id);
    expect($(el, 'table caption').textContent).to.contain("mentors' free seats: 2");
    await expectAccessible(el);

    // Run from the keyboard: a draft pairing each mentee with the mentor of their skill.
    $<HTMLButtonElement>(el, '[data-action=run]').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => el.shadowRoot?.querySelector('[data-run-status=draft], [data-action-error]'), 'the draft');
    expect(el.shadowRoot!.querySelector('[data-action-error]')?.textContent ?? '').to.equal('');
    await until(() => deepActiveElement()?.hasAttribute('data-run-heading'), 'focus on the draft');
    expect(row(el, 'Cat Mentee')?.querySelector('td')?.textContent).to.equal('Ada Mentor');
    expect(row(el, 'Dan Mentee')?.querySelector('td')?.textContent).to.equal('Ben Mentor');
    expect(row(el, 'Cat Mentee')?.querySelector('[data-factor=skills]')?.textContent).to.contain('The mentor offers 1 of the 1 skills wanted: testing.');
    await expectAccessible(el);

    // Swap: Cat's Swap, then Dan's "Swap with this one". Both pairs end up locked.
    row(el, 'Cat Mentee')!.querySelector<HTMLButtonElement>('[data-action=swap]')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => row(el, 'Dan Mentee')?.querySelector('[data-action=swap]')?.textContent?.includes('Swap with this one'), 'the second swap step');
    row(el, 'Dan Mentee')!.querySelector<HTMLButtonElement>('[data-action=swap]')!.click();
    await until(() => row(el, 'Cat Mentee')?.querySelector('td')?.textContent === 'Ben Mentor', 'the swap');
    expect(row(el, 'Cat Mentee')?.getAttribute('data-locked')).to.equal('true');
    expect(row(el, 'Dan Mentee')?.querySelector('td')?.textContent).to.equal('Ada Mentor');

    // Unlock Dan, leave Dan out, take Dan back, re-run around Cat's lock.
    row(el, 'Dan Mentee')!.querySelector<HTMLButtonElement>('[data-action=lock]')!.click();
    await until(() => row(el, 'Dan Mentee')?.getAttribute('data-locked') === 'false', 'Dan unlocked');
    row(el, 'Dan Mentee')!.querySelector<HTMLButtonElement>('[data-action=exclude-mentee]')!.click();
    await until(() => el.shadowRoot?.querySelector(`[data-excluded="${people['Dan Mentee']!.id}"]`), 'Dan left out');
    expect(row(el, 'Dan Mentee')).to.equal(undefined);
    await expectAccessible(el);
    el.shadowRoot!.querySelector<HTMLButtonElement>(`[data-excluded="${people['Dan Mentee']!.id}"] button`)!.click();
    await until(() => !el.shadowRoot?.querySelector('[data-excluded]'), 'Dan taken back');
    const before = el.shadowRoot!.querySelectorAll('tr[data-run]').length;
    $<HTMLButtonElement>(el, '[data-action=rerun]').click();
    await until(() => el.shadowRoot!.querySelectorAll('tr[data-run]').length === before + 1, 'a new draft listed');
    await until(() => row(el, 'Dan Mentee'), 'Dan paired again');
    expect(row(el, 'Cat Mentee')?.querySelector('td')?.textContent).to.equal('Ben Mentor');
    expect(row(el, 'Cat Mentee')?.getAttribute('data-locked')).to.equal('true');
    expect($$(el, 'tr[data-run] td:nth-child(2)').map((td) => td.textContent)).to.include('Superseded');

    // The inputs of the run, loaded when asked.
    $<HTMLButtonElement>(el, '[data-action=inputs]').click();
    const inputs = await until(() => el.shadowRoot?.querySelector('[data-inputs]'), 'the inputs');
    expect(inputs.textContent).to.contain('Cat Mentee → Ben Mentor');
    expect(inputs.querySelector('caption')?.textContent).to.contain('(4)');
    await expectAccessible(el);

    // Publish behind a confirmation: Cancel is focused; Escape cancels; then confirm.
    $<HTMLButtonElement>(el, '[data-action=publish]').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => deepActiveElement()?.hasAttribute('data-cancel'), 'Cancel focused');
    await expectAccessible(el);
    await sendKeys({ press: 'Escape' });
    await until(() => deepActiveElement()?.getAttribute('data-action') === 'publish', 'focus back on Publish');
    await sendKeys({ press: 'Enter' });
    await until(() => deepActiveElement()?.hasAttribute('data-cancel'), 'Cancel focused again');
    $<HTMLButtonElement>(el, '.confirm [data-confirm]').click();
    await until(() => el.shadowRoot?.querySelector('[data-run-status=published]'), 'published');
    const rooms = await programs.cohorts.rooms.list(cohort.id).toArray(10);
    const pairs = rooms.map((r) => r.room.members.filter((m) => m.role !== 'observer').map((m) => m.person.displayName).sort().join(' + ')).sort();
    expect(pairs).to.deep.equal(['Ada Mentor + Dan Mentee', 'Ben Mentor + Cat Mentee']);
    expect(rooms.every((r) => r.template !== null)).to.equal(true);
    await expectAccessible(el);
  });

  it("edits the program's weights and rules from the keyboard; the next run scores with them", async () => {
    const { cohort } = await cohortToMatch();
    const el = await mountAdmin(cohort.id);
    $<HTMLButtonElement>(el, '[data-action=settings]').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => deepActiveElement()?.id === 'weight-skills', 'focus on the first weight');
    await expectAccessible(el);
    (deepActiveElement() as HTMLInputElement).select();
    await sendKeys({ type: '60' });
    await sendKeys({ press: 'Tab' });
    (deepActiveElement() as HTMLInputElement).select();
    await sendKeys({ type: '0' });
    await sendKeys({ press: 'Enter' });
    await until(() => deepActiveElement()?.getAttribute('data-action') === 'settings', 'focus back on the button');
    expect(el.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent).to.contain('Matching settings saved: the next run uses them.');
    const saved = await matchingApi(world.admin).settings.get(cohort.programId);
    expect([saved.weights.skills, saved.weights.goals, saved.weights.timeZone]).to.deep.equal([60, 0, 15]);

    $<HTMLButtonElement>(el, '[data-action=run]').click();
    await until(() => row(el, 'Cat Mentee'), 'the draft');
    const skills = row(el, 'Cat Mentee')!.querySelector('[data-factor=skills]')!;
    expect(skills.textContent).to.contain('60 of 60 points');
    expect(row(el, 'Cat Mentee')!.querySelector('[data-factor=goals]'), 'a factor weighing 0 is not listed').to.equal(null);
  });

  it('never pairs someone with their manager: the swap is refused and said clearly, and the candidates say why', async () => {
    const { cohort, people } = await cohortToMatch();
    // Ada manages Cat: the pair breaks the reporting-line rule, so the draft pairs Cat with Ben.
    await matchingApi(world.admin).profiles.update(people['Cat Mentee']!.id, { managerId: people['Ada Mentor']!.id });
    const el = await mountAdmin(cohort.id);
    $<HTMLButtonElement>(el, '[data-action=run]').click();
    await until(() => row(el, 'Cat Mentee'), 'the draft');
    expect(row(el, 'Cat Mentee')?.querySelector('td')?.textContent).to.equal('Ben Mentor');

    row(el, 'Cat Mentee')!.querySelector<HTMLButtonElement>('[data-action=swap]')!.click();
    await until(() => row(el, 'Dan Mentee')?.querySelector('[data-action=swap]')?.textContent?.includes('Swap with this one'), 'the second swap step');
    row(el, 'Dan Mentee')!.querySelector<HTMLButtonElement>('[data-action=swap]')!.click();
    const refused = await until(() => el.shadowRoot?.querySelector('[data-action-error]'), 'the refusal');
    expect(refused.textContent).to.equal('Not possible: one of them is in the other’s reporting line.');
    expect(row(el, 'Cat Mentee')?.querySelector('td')?.textContent).to.equal('Ben Mentor');
    await expectAccessible(el);

    row(el, 'Cat Mentee')!.querySelector<HTMLButtonElement>('[data-action=candidates]')!.click();
    const list = await until(() => el.shadowRoot?.querySelector('[data-candidates]'), 'the candidates');
    const ada = [...list.querySelectorAll('li')].find((li) => li.textContent?.includes('Ada Mentor'))!;
    expect(ada.textContent).to.contain('Not possible: reporting line');
    expect(ada.querySelector('button')?.getAttribute('aria-disabled')).to.equal('true');
    await expectAccessible(el);
  });
});
