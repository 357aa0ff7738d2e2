import { expect } from '@open-wc/testing';
import { programsApi } from '@menteo/client/programs';
import { DEFAULT_EMBED_SCOPES, type Scope } from '@menteo/api/scopes';
import '../define/provider.js';
import '../define/admin-cohorts.js';
import type { MenteoAdminCohorts } from './admin-cohorts.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { focusWalk, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from '../internal/format.js';

const world = useWorld();
const ADMIN_SCOPES: Scope[] = [...DEFAULT_EMBED_SCOPES, 'org:admin'];
let n = 0;

async function mountAdmin() {
  const admin = await world.person('Ada Admin', ['admin']);
  const { el } = await mountAs<MenteoAdminCohorts>(world, admin, 'menteo-admin-cohorts', {}, { scopes: ADMIN_SCOPES });
  await until(() => el.shadowRoot?.querySelector('#program-name'), 'the lists');
  return el;
}

async function type(input: HTMLInputElement | HTMLTextAreaElement, text: string): Promise<void> {
  const { sendKeys } = await import('@web/test-runner-commands');
  input.focus();
  await sendKeys({ type: text });
}

async function press(key: string): Promise<void> {
  const { sendKeys } = await import('@web/test-runner-commands');
  await sendKeys({ press: key });
}

/** A program with a template and a cohort, made through the API as set-up. */
async function programWithCohort() {
  const api = programsApi(world.admin);
  const program = await api.create({ name: `Engineering ${++n}` });
  const template = await api.templates.create(program.id, {
    name: '90-day reviewer path',
    milestones: [{ title: 'Shadow three reviews', dayOffset: 14, requiredSkills: ['code-review'], expectedOutcome: 'Notes on three reviews' }],
  });
  const today = todayDateOnly();
  const cohort = await api.cohorts.create(program.id, { name: `Q1 cohort ${n}`, startDate: today, endDate: addDays(today, 90), templateId: template.id });
  return { api, program, template, cohort };
}

describe('<menteo-admin-cohorts>', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
  });

  it('creates a program and a cohort with its dates from the keyboard', async () => {
    const el = await mountAdmin();
    await type($<HTMLInputElement>(el, '#program-name'), 'Design mentoring');
    await press('Enter');
    const section = await until(() => $$(el, 'section.card').find((s) => s.querySelector('h3')?.textContent?.includes('Design mentoring')), 'the new program');
    expect(el.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent).to.contain('Program Design mentoring created.');
    const details = section.querySelector('details')!;
    details.open = true;
    const start = todayDateOnly();
    const form = details.querySelector('form')!;
    await type(form.querySelector<HTMLInputElement>('[name=name]')!, 'Spring cohort');
    form.querySelector<HTMLInputElement>('[name=startDate]')!.value = start;
    form.querySelector<HTMLInputElement>('[name=endDate]')!.value = addDays(start, -1);
    form.querySelector<HTMLInputElement>('[name=name]')!.focus();
    await press('Enter');
    // The server refuses an end before the start, and the form says which field.
    await until(() => details.parentElement?.querySelector('.error-text')?.textContent, 'the refusal');
    expect(section.querySelector('.error-text')?.textContent).to.contain('endDate');
    form.querySelector<HTMLInputElement>('[name=endDate]')!.value = addDays(start, 60);
    form.querySelector<HTMLInputElement>('[name=name]')!.focus();
    await press('Enter');
    await until(() => $$(el, 'section.card').find((s) => s.querySelector('tbody th')?.textContent?.includes('Spring cohort')), 'the cohort row');
    const programs = await programsApi(world.admin).list();
    const design = programs.items.find((p) => p.name === 'Design mentoring')!;
    const cohorts = await programsApi(world.admin).cohorts.list(design.id);
    expect(cohorts.items.map((c) => [c.name, c.startDate, c.endDate])).to.deep.equal([['Spring cohort', start, addDays(start, 60)]]);
    await expectAccessible(el);
  });

  it("edits a template's milestones (offset, skills, outcome) as a new version", async () => {
    const { api, template } = await programWithCohort();
    const el = await mountAdmin();
    const edit = await until(() => el.shadowRoot?.querySelector<HTMLButtonElement>(`[data-template="${template.id}"]`), 'the template');
    edit.focus();
    await press('Enter');
    await until(() => el.shadowRoot?.querySelector('.panel'), 'the editor');
    expect(deepActiveElement()?.id).to.equal('panel-title');
    expect($<HTMLInputElement>(el, '#mt-0').value).to.equal('Shadow three reviews');
    $<HTMLButtonElement>(el, '[data-action=add-milestone]').click();
    await until(() => el.shadowRoot?.querySelector('#mt-1'), 'the new milestone');
    expect(deepActiveElement()?.id).to.equal('mt-1');
    await press('Tab'); // the title was focused; type into it first
    await type($<HTMLInputElement>(el, '#mt-1'), 'Lead a review');
    const offset = $<HTMLInputElement>(el, '#mo-1');
    offset.select();
    await type(offset, '45');
    await type($<HTMLInputElement>(el, '#ms-1'), 'feedback, tact');
    await type($<HTMLTextAreaElement>(el, '#mx-1'), 'A review the author thanks you for');
    await expectAccessible(el);
    await type($<HTMLInputElement>(el, '#note'), 'Add a lead review');
    await press('Enter');
    await until(() => el.shadowRoot?.querySelector('[data-announcer=polite]')?.textContent?.includes('saved as version 2'), 'the save');
    const saved = await api.templates.get(template.id);
    expect(saved.version).to.equal(2);
    expect(saved.milestones.map((m) => [m.title, m.dayOffset, m.requiredSkills, m.expectedOutcome])).to.deep.equal([
      ['Shadow three reviews', 14, ['code-review'], 'Notes on three reviews'],
      ['Lead a review', 45, ['feedback', 'tact'], 'A review the author thanks you for'],
    ]);
    // The kept milestone kept its id, so running roadmaps update it rather than add a copy.
    expect(saved.milestones[0]!.id).to.equal(template.milestones[0]!.id);
    $$<HTMLButtonElement>(el, '.panel button').find((b) => b.textContent?.trim() === 'Close')!.click();
    await until(() => !el.shadowRoot?.querySelector('.panel'), 'the editor closed');
    expect(deepActiveElement()?.getAttribute('data-template')).to.equal(template.id);
  });

  it('enrols a person found by name from the keyboard', async () => {
    const { api, cohort } = await programWithCohort();
    const mentor = await world.admin.people.create({ displayName: `Rita Reviewer ${n}`, email: `rita${n}@example.com`, roles: ['mentor'] });
    const mentee = await world.admin.people.create({ displayName: `Tom Trainee ${n}`, email: `tom${n}@example.com` });
    const el = await mountAdmin();
    const open = await until(() => el.shadowRoot?.querySelector<HTMLButtonElement>(`[data-cohort="${cohort.id}"]`), 'the cohort');
    open.focus();
    await press('Enter');
    // Focus moves to the panel once its enrolments are loaded.
    await until(() => deepActiveElement()?.id === 'panel-title', 'focus on the panel');
    await type($<HTMLInputElement>(el, '#q'), `Rita Reviewer ${n}`);
    await press('Enter');
    const asMentor = await until(() => $$<HTMLButtonElement>(el, 'button').find((b) => b.getAttribute('aria-label') === `Enrol Rita Reviewer ${n} as mentor`), 'the result');
    asMentor.focus();
    await press('Enter');
    await until(() => $$(el, '.panel tbody th').some((th) => th.textContent?.includes('Rita Reviewer')), 'the enrolment');
    expect((await api.cohorts.enrolments(cohort.id)).items.map((e) => [e.person.id, e.role])).to.deep.equal([[mentor.id, 'mentor']]);
    const row = $$(el, '.panel tbody tr').map((tr) => [...tr.children].slice(0, 3).map((c) => c.textContent?.trim()));
    expect(row).to.deep.equal([[`Rita Reviewer ${n}`, 'Mentor', 'By hand']]);
    await expectAccessible(el);
  });

  // The in-page server parses the CSV with csv-parse's browser build (its Node build needs
  // Buffer): before that, every CSV import in @menteo/mock answered 500.
  it('imports a CSV after a dry run that lists rejected rows', async () => {
    const { api, cohort } = await programWithCohort();
    const mentor = await world.admin.people.create({ displayName: `Rita Reviewer ${n}`, email: `rita${n}@example.com`, roles: ['mentor'] });
    const mentee = await world.admin.people.create({ displayName: `Tom Trainee ${n}`, email: `tom${n}@example.com` });
    await api.cohorts.enrol(cohort.id, mentor.id, 'mentor');
    const el = await mountAdmin();
    const open = await until(() => el.shadowRoot?.querySelector<HTMLButtonElement>(`[data-cohort="${cohort.id}"]`), 'the cohort');
    open.click();
    await until(() => deepActiveElement()?.id === 'panel-title', 'focus on the panel');
    const csv = `email,role\n${mentee.email},mentee\nnobody${n}@example.com,mentee\n${mentor.email},captain`;
    $<HTMLTextAreaElement>(el, '#csv').value = csv;
    $<HTMLButtonElement>(el, '[data-action=dry-run]').click();
    await until(() => el.shadowRoot?.querySelector('[data-announcer=polite]')?.textContent?.includes('Dry run:'), 'the dry run');
    const rejected = $$(el, '[data-report] tbody tr').map((tr) => [...tr.children].map((c) => c.textContent?.trim()));
    expect(rejected.map((r) => [r[0], r[1]])).to.deep.equal([['3', `nobody${n}@example.com`], ['4', mentor.email]]);
    expect($(el, '[data-report]').textContent).to.contain('Would enrol 1');
    expect($<HTMLProgressElement>(el, 'progress').value).to.equal(3);
    expect((await api.cohorts.enrolments(cohort.id)).items.map((e) => e.person.id)).to.deep.equal([mentor.id]);
    await expectAccessible(el);

    $<HTMLButtonElement>(el, '[data-action=import]').click();
    await until(() => el.shadowRoot?.querySelector('[data-announcer=polite]')?.textContent?.includes('Import done'), 'the import');
    const enrolled = (await api.cohorts.enrolments(cohort.id)).items.map((e) => [e.person.id, e.role]);
    expect(enrolled).to.have.deep.members([[mentor.id, 'mentor'], [mentee.id, 'mentee']]);
    await until(() => $$(el, '.panel tbody th').some((th) => th.textContent?.includes('Tom Trainee')), 'the list updated');
    await expectAccessible(el);
    await viewport(320);
    expect(overflowingPage(el)).to.deep.equal([]);
  });

  it('keeps a focus ring that forced colours keep on every control', async () => {
    await programWithCohort();
    const el = await mountAdmin();
    await forcedColors(true);
    const { stops, problems } = await focusWalk(el);
    expect(stops.length).to.be.greaterThan(3);
    expect(problems).to.deep.equal([]);
  });
});
