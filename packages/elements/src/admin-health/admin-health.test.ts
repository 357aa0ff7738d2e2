import { expect } from '@open-wc/testing';
import { programsApi } from '@menteo/client/programs';
import { DEFAULT_EMBED_SCOPES, type Scope } from '@menteo/api/scopes';
import '../define/provider.js';
import '../define/admin-health.js';
import type { MenteoAdminHealth } from './admin-health.js';
import { $, $$, expectAccessible, until } from '../test-support/index.js';
import { focusWalk, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { mountAs, recordRequests, useWorld } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from '../internal/format.js';

// Against the real server app in the page (`@menteo/mock`): the numbers and the at-risk rules are the server's.
const world = useWorld();
const ADMIN_SCOPES: Scope[] = [...DEFAULT_EMBED_SCOPES, 'org:admin'];

async function mountAdmin() {
  const admin = await world.person('Ada Admin', ['admin']);
  const { el } = await mountAs<MenteoAdminHealth>(world, admin, 'menteo-admin-health', {}, { scopes: ADMIN_SCOPES });
  await until(() => el.shadowRoot?.querySelector('.grid, .state--error'), 'the summary');
  return el;
}

/** The rows of the table captioned `caption`, as arrays of cell texts. */
function tableRows(el: Element, caption: string): string[][] {
  const table = $$(el, 'table').find((t) => t.querySelector('caption')?.textContent?.trim().startsWith(caption));
  if (!table) throw new Error(`no table captioned ${caption}`);
  return [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));
}

describe('<menteo-admin-health>', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
  });

  it("shows the organization's health with a table beside each chart, and the at-risk rooms with their reasons", async () => {
    const today = todayDateOnly();
    const late = await world.newRoom('Late roadmap');
    await world.roadmap(late.mentor, late.room.id, addDays(today, -40), [{ title: 'Own the on-call rota', dueDate: addDays(today, -6) }]);
    await world.as(late.mentee).checkIns.create(late.room.id, { progress: 'Private words', confidence: 3 });
    const expected = await world.admin.program.summary();
    const el = await mountAdmin();
    expect(tableRows(el, 'Rooms by state')).to.deep.equal([
      ['Active', String(expected.rooms.active)],
      ['Stalled', String(expected.rooms.stalled)],
      ['Finished', String(expected.rooms.finished)],
    ]);
    expect(tableRows(el, 'Milestones by status').map((r) => r[1])).to.deep.equal(
      [expected.milestones.planned, expected.milestones.in_progress, expected.milestones.done, expected.milestones.blocked, expected.milestones.overdue].map(String),
    );
    expect(expected.milestones.overdue).to.be.greaterThan(0);
    expect(tableRows(el, 'Average confidence').length).to.equal(expected.checkIns.confidence.length);
    expect(tableRows(el, 'Mentors by load').map((r) => r[0])).to.include('Max Mentor');
    expect($$(el, 'svg.chart').length).to.equal(3);
    for (const chart of $$(el, 'svg.chart')) expect(chart.getAttribute('aria-hidden')).to.equal('true');
    const risk = $$(el, '[part=risk]').find((r) => r.textContent?.includes('Late roadmap'));
    expect(risk?.textContent).to.contain('A milestone is 6 days past its due date.');
    // Numbers and reasons only: no check-in text reaches an admin.
    expect(el.shadowRoot!.textContent).not.to.contain('Private words');
    await expectAccessible(el);
    await viewport(320);
    expect(overflowingPage(el)).to.deep.equal([]);
  });

  it("shows one cohort's health when picked, and exports it as CSV from the keyboard", async () => {
    const programs = programsApi(world.admin);
    const program = await programs.create({ name: 'Engineering mentoring' });
    const today = todayDateOnly();
    const cohort = await programs.cohorts.create(program.id, { name: 'Q1 engineering', startDate: addDays(today, -10), endDate: addDays(today, 80) });
    const mentor = await world.person('Cora Cohortmentor', ['mentor']);
    const mentee = await world.person('Ben Cohortmentee');
    await programs.cohorts.enrol(cohort.id, mentor.id, 'mentor');
    await programs.cohorts.enrol(cohort.id, mentee.id, 'mentee');
    await programs.cohorts.rooms.create(cohort.id, { mentorId: mentor.id, menteeId: mentee.id, title: 'Cohort pair' });
    const el = await mountAdmin();
    const select = $<HTMLSelectElement>(el, 'select');
    await until(() => [...select.options].some((o) => o.value === cohort.id), 'the cohort in the picker');
    select.value = cohort.id;
    select.dispatchEvent(new Event('change'));
    await until(() => $$(el, 'caption').some((c) => c.textContent?.includes('Mentors by load')) && tableRows(el, 'Mentors by load').length === 1, "the cohort's summary");
    expect(tableRows(el, 'Mentors by load')).to.deep.equal([['Cora Cohortmentor', '1', '1']]);
    expect(tableRows(el, 'Rooms by state')[0]).to.deep.equal(['Active', '1']);

    const sent = recordRequests(world, 'GET', /\/v1\/program\/export$/);
    try {
      const button = $<HTMLButtonElement>(el, '[data-export="rooms.csv"]');
      button.focus();
      const { sendKeys } = await import('@web/test-runner-commands');
      await sendKeys({ press: 'Enter' });
      await until(() => el.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent?.includes('rooms.csv downloaded'), 'the download');
      const url = new URL(sent[0]!.request.url);
      expect(Object.fromEntries(url.searchParams)).to.deep.equal({ kind: 'rooms', format: 'csv', cohortId: cohort.id });
      const csv = await (await world.mock.app.fetch(new Request(sent[0]!.request.url, { headers: { authorization: `Bearer ${world.mock.organization.apiKey}` } }))).text();
      expect(csv.split('\n')[0]).to.contain('roomId,title,status');
      expect(csv).to.contain('Cohort pair');
    } finally {
      sent.stop();
    }
    await expectAccessible(el);
  });

  it('is operable with the keyboard, with a focus ring that forced colours keep', async () => {
    const el = await mountAdmin();
    await forcedColors(true);
    const { stops, problems } = await focusWalk(el);
    expect(stops.map((s) => s.localName)).to.deep.equal(['select', 'button', 'button', 'button', 'button']);
    expect(problems).to.deep.equal([]);
  });

  it('says why when the session lacks the admin scope', async () => {
    const person = await world.person('Nora Noadmin');
    const { el } = await mountAs<MenteoAdminHealth>(world, person, 'menteo-admin-health');
    await until(() => el.shadowRoot?.querySelector('.state--error'), 'the error');
    await expectAccessible(el);
  });
});
