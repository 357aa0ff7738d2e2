import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { Person } from '@menteo/api/people';
import type { Cohort, CohortRole, EnrolmentImport, Enrolment, NewTemplateMilestone, Program, RoadmapTemplate } from '@menteo/api/programs';
import { programsApi } from '@menteo/client/programs';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { describeError } from '../internal/errors.js';
import { formatDate } from '../internal/format.js';
import { emptyState, errorState, loadingState } from '../internal/parts.js';
import { MenteoErrorEvent } from '../events.js';
import { describeAdminError } from '../admin-shared/admin-errors.js';
import { adminCohortsStyles } from './admin-cohorts.styles.js';

/** A program with what the section lists under it. */
interface ProgramView {
  program: Program;
  cohorts: Cohort[];
  templates: RoadmapTemplate[];
}

/** A milestone being edited: the form's strings, turned into the API's shape on save. */
interface MilestoneDraft {
  id: string | undefined;
  title: string;
  dayOffset: string;
  skills: string;
  outcome: string;
}

function toDraft(t: RoadmapTemplate): MilestoneDraft[] {
  return t.milestones.map((m) => ({ id: m.id, title: m.title, dayOffset: String(m.dayOffset), skills: m.requiredSkills.join(', '), outcome: m.expectedOutcome }));
}

function fromDraft(d: MilestoneDraft): NewTemplateMilestone {
  const skills = d.skills.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    ...(d.id ? { id: d.id } : {}),
    title: d.title.trim(),
    dayOffset: Number(d.dayOffset),
    ...(skills.length ? { requiredSkills: skills } : {}),
    ...(d.outcome.trim() ? { expectedOutcome: d.outcome.trim() } : {}),
  };
}

/** How someone came to be enrolled, in words. */
function sourceText(source: Enrolment['source']): string {
  switch (source) {
    case 'api':
      return msg('By hand');
    case 'import':
      return msg('CSV import');
    case 'scim':
      return msg('SCIM group');
  }
}

function field(form: HTMLFormElement, name: string): string {
  return String(new FormData(form).get(name) ?? '').trim();
}

/**
 * Programs, cohorts and roadmap templates for admins: create programs and cohorts (with dates
 * and the template their rooms start from), edit a template's milestones (day offsets, skills,
 * expected outcome; saving makes a new version that running rooms are offered, never forced),
 * enrol people one by one, or import a CSV with a dry run first that lists rejected rows and why.
 *
 * Needs a session with the `org:admin` scope. Usually shown by `<menteo-admin-console>`.
 *
 * @summary Programs, cohorts, templates and enrolment for admins.
 * @tag menteo-admin-cohorts
 *
 * @csspart state - Loading, empty and error states.
 *
 * @fires {MenteoErrorEvent} menteo-error - Loading or a change failed.
 */
export class MenteoAdminCohorts extends MenteoWidget {
  static override styles = [MenteoElement.styles, adminCohortsStyles];

  @state() private programs: ProgramView[] = [];
  @state() private cohort: Cohort | undefined;
  @state() private enrolments: Enrolment[] = [];
  @state() private found: Person[] = [];
  @state() private job: EnrolmentImport | undefined;
  @state() private importing = false;
  @state() private template: RoadmapTemplate | undefined;
  @state() private drafts: MilestoneDraft[] = [];
  /** The error shown beside the form it belongs to. */
  @state() private formError: { form: string; text: string } | undefined;
  /** The button that opened a panel, given focus back when the panel closes. */
  private opener: HTMLElement | undefined;

  private get api() {
    const client = this.session?.client;
    return client ? programsApi(client) : undefined;
  }

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client] as const,
    task: async ([client], { signal }) => {
      if (client === undefined) return initialState;
      const api = programsApi(client);
      const views: ProgramView[] = [];
      try {
        for await (const program of api.list({}, { signal })) {
          const cohorts: Cohort[] = [];
          const templates: RoadmapTemplate[] = [];
          for await (const c of api.cohorts.list(program.id, {}, { signal })) cohorts.push(c);
          for await (const t of api.templates.list(program.id, {}, { signal })) templates.push(t);
          views.push({ program, cohorts, templates });
        }
      } catch (e) {
        this.reportLoadError(e);
      }
      this.programs = views;
      return views.length;
    },
  });

  /** Loads programs, cohorts and templates again. */
  refresh(): void {
    void this.loadTask.run();
  }

  /** Runs a change from a form: shows its error beside it, or announces `done` and reloads. */
  private async change(form: string, action: () => Promise<unknown>, done: string): Promise<boolean> {
    this.formError = undefined;
    try {
      await action();
      this.announcer.polite(done);
      await this.loadTask.run();
      return true;
    } catch (e) {
      this.dispatchEvent(new MenteoErrorEvent(form, e));
      this.formError = { form, text: describeAdminError(e) };
      return false;
    }
  }

  private errorFor(form: string): TemplateResult {
    const text = this.formError?.form === form ? this.formError.text : '';
    return html`<p class="error-text" id="err-${form}" role="alert">${text}</p>`;
  }

  private async focusPanel(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.panel > h3')?.focus();
  }

  private closePanel(): void {
    this.cohort = undefined;
    this.template = undefined;
    this.job = undefined;
    this.found = [];
    const back = this.opener;
    this.opener = undefined;
    void this.updateComplete.then(() => back?.isConnected && back.focus());
  }

  // Programs and cohorts

  private async createProgram(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = field(form, 'name');
    if (await this.change('program', () => this.api!.create({ name }), msg(str`Program ${name} created.`))) form.reset();
  }

  private async createCohort(e: SubmitEvent, program: Program): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = field(form, 'name');
    const templateId = field(form, 'templateId');
    const body = { name, startDate: field(form, 'startDate'), endDate: field(form, 'endDate'), ...(templateId ? { templateId } : {}) };
    if (await this.change(`cohort-${program.id}`, () => this.api!.cohorts.create(program.id, body), msg(str`Cohort ${name} created.`))) form.reset();
  }

  private async createTemplate(e: SubmitEvent, program: Program): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = field(form, 'name');
    const goal = field(form, 'goal');
    const body = { name, ...(goal ? { goal } : {}), horizonDays: Number(field(form, 'horizonDays') || 90) };
    if (await this.change(`template-${program.id}`, () => this.api!.templates.create(program.id, body), msg(str`Template ${name} created.`))) form.reset();
  }

  // A cohort's people

  private async openCohort(c: Cohort, opener: HTMLElement): Promise<void> {
    this.template = undefined;
    this.cohort = c;
    this.job = undefined;
    this.found = [];
    this.opener = opener;
    await this.loadEnrolments();
    await this.focusPanel();
  }

  private async loadEnrolments(): Promise<void> {
    if (!this.cohort || !this.api) return;
    const list: Enrolment[] = [];
    for await (const en of this.api.cohorts.enrolments(this.cohort.id)) list.push(en);
    this.enrolments = list;
  }

  private async search(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const q = field(e.target as HTMLFormElement, 'q');
    const client = this.session?.client;
    if (!client || !q) return;
    const page = await client.people.list({ q, limit: 10 });
    this.found = page.items;
    this.announcer.polite(page.items.length ? msg(str`${page.items.length} people found.`) : msg('No one found.'));
  }

  private async enrol(person: Person, role: CohortRole): Promise<void> {
    const cohort = this.cohort;
    if (!cohort) return;
    const label = role === 'mentor' ? msg('mentor') : msg('mentee');
    const ok = await this.change('enrol', () => this.api!.cohorts.enrol(cohort.id, person.id, role), msg(str`${person.displayName} enrolled as ${label}.`));
    if (ok) await this.loadEnrolments();
  }

  private async unenrol(en: Enrolment): Promise<void> {
    const cohort = this.cohort;
    if (!cohort) return;
    const ok = await this.change('enrol', () => this.api!.cohorts.unenrol(cohort.id, en.person.id), msg(str`${en.person.displayName} unenrolled.`));
    if (ok) {
      await this.loadEnrolments();
      this.renderRoot.querySelector<HTMLElement>('.panel > h3')?.focus();
    }
  }

  private async runImport(form: HTMLFormElement, dryRun: boolean): Promise<void> {
    const cohort = this.cohort;
    const csv = field(form, 'csv');
    if (!cohort || !this.api) return;
    if (!csv) {
      this.formError = { form: 'import', text: msg('Paste CSV rows with a header naming email and role.') };
      return;
    }
    this.formError = undefined;
    this.importing = true;
    this.job = undefined;
    try {
      const job = await this.api.imports.run(cohort.id, { csv, dryRun }, { onProgress: (j) => (this.job = j) });
      this.job = job;
      this.announcer.polite(
        job.status === 'failed'
          ? msg(str`The import failed: ${job.error ?? ''}`)
          : dryRun
            ? msg(str`Dry run: ${job.enrolled} would be enrolled, ${job.rejected.length} rows rejected. Nobody was enrolled.`)
            : msg(str`Import done: ${job.enrolled} enrolled, ${job.rejected.length} rows rejected.`),
      );
      if (!dryRun) {
        await this.loadEnrolments();
        await this.loadTask.run();
      }
    } catch (e) {
      this.dispatchEvent(new MenteoErrorEvent('import', e));
      this.formError = { form: 'import', text: describeAdminError(e) };
    } finally {
      this.importing = false;
    }
  }

  // Templates

  private async openTemplate(t: RoadmapTemplate, opener: HTMLElement): Promise<void> {
    this.cohort = undefined;
    this.template = t;
    this.drafts = toDraft(t);
    this.opener = opener;
    this.formError = undefined;
    await this.focusPanel();
  }

  private editDraft(i: number, key: keyof Omit<MilestoneDraft, 'id'>, value: string): void {
    this.drafts = this.drafts.map((d, j) => (j === i ? { ...d, [key]: value } : d));
  }

  private async addMilestone(): Promise<void> {
    const last = this.drafts.at(-1);
    this.drafts = [...this.drafts, { id: undefined, title: '', dayOffset: String(last ? Number(last.dayOffset) + 14 : 0), skills: '', outcome: '' }];
    await this.updateComplete;
    // The new milestone's first field, so typing can start at once.
    [...this.renderRoot.querySelectorAll<HTMLInputElement>('input[name=title]')].at(-1)?.focus();
  }

  private async removeMilestone(i: number): Promise<void> {
    const title = this.drafts[i]?.title || msg('Untitled milestone');
    this.drafts = this.drafts.filter((_, j) => j !== i);
    this.announcer.polite(msg(str`${title} removed; save to keep the change.`));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-action=add-milestone]')?.focus();
  }

  private async saveTemplate(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const t = this.template;
    // Read before any await: a shadow-DOM event's target is cleared once dispatch ends.
    const form = e.target as HTMLFormElement;
    if (!t) return;
    const note = field(form, 'note');
    let saved: RoadmapTemplate | undefined;
    const ok = await this.change(
      'template-edit',
      async () => (saved = await this.api!.templates.update(t.id, { note, milestones: this.drafts.map(fromDraft) })),
      msg(str`Template ${t.name} saved as version ${t.version + 1}. Running rooms are offered it; none is changed.`),
    );
    // The save reloads the programs before it returns: an editor closed (or another opened)
    // meanwhile must stay as the person left it, not come back.
    if (ok && saved && this.template?.id === t.id) {
      this.template = saved;
      this.drafts = toDraft(saved);
      form.reset();
    }
  }

  // Rendering

  private renderProgram(v: ProgramView): TemplateResult {
    const p = v.program;
    return html`<section class="card" aria-labelledby="p-${p.id}">
      <h3 id="p-${p.id}">${p.name}${p.status === 'archived' ? html` <span class="muted">(${msg('archived')})</span>` : nothing}</h3>
      ${v.cohorts.length
        ? html`<div class="table-wrap">
            <table>
              <caption>${msg(str`Cohorts of ${p.name}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">${msg('Cohort')}</th><th scope="col">${msg('Dates')}</th><th scope="col" class="num">${msg('Mentors')}</th>
                  <th scope="col" class="num">${msg('Mentees')}</th><th scope="col" class="num">${msg('Rooms')}</th><th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                ${v.cohorts.map(
                  (c) => html`<tr>
                    <th scope="row">${c.name}</th>
                    <td>${formatDate(c.startDate)} – ${formatDate(c.endDate)}</td>
                    <td class="num">${c.mentorCount}</td><td class="num">${c.menteeCount}</td><td class="num">${c.roomCount}</td>
                    <td>
                      <button class="btn btn--small" type="button" data-cohort=${c.id} aria-label=${msg(str`Enrol people in ${c.name}`)}
                        @click=${(e: Event) => void this.openCohort(c, e.currentTarget as HTMLElement)}>${msg('Enrol people')}</button>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p class="muted">${msg('No cohort yet.')}</p>`}
      ${v.templates.length
        ? html`<h4>${msg('Roadmap templates')}</h4>
            <ul class="plain">
              ${v.templates.map(
                (t) => html`<li>
                  <span>${msg(str`${t.name} (version ${t.version}, ${t.milestones.length} milestones over ${t.horizonDays} days)`)}</span>
                  <button class="btn btn--small" type="button" data-template=${t.id} aria-label=${msg(str`Edit milestones of ${t.name}`)}
                    @click=${(e: Event) => void this.openTemplate(t, e.currentTarget as HTMLElement)}>${msg('Edit milestones')}</button>
                </li>`,
              )}
            </ul>`
        : nothing}
      <details>
        <summary>${msg('New cohort')}</summary>
        <form class="inline" @submit=${(e: SubmitEvent) => void this.createCohort(e, p)} aria-describedby="err-cohort-${p.id}">
          <div class="field"><label for="cn-${p.id}">${msg('Name')}</label><input id="cn-${p.id}" name="name" required maxlength="120" /></div>
          <div class="field"><label for="cs-${p.id}">${msg('Starts')}</label><input id="cs-${p.id}" name="startDate" type="date" required /></div>
          <div class="field"><label for="ce-${p.id}">${msg('Ends')}</label><input id="ce-${p.id}" name="endDate" type="date" required /></div>
          <div class="field">
            <label for="ct-${p.id}">${msg('Rooms start from')}</label>
            <select id="ct-${p.id}" name="templateId">
              <option value="">${msg('No template')}</option>
              ${v.templates.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
            </select>
          </div>
          <button class="btn btn--primary" type="submit">${msg('Create cohort')}</button>
        </form>
        ${this.errorFor(`cohort-${p.id}`)}
      </details>
      <details>
        <summary>${msg('New roadmap template')}</summary>
        <form class="inline" @submit=${(e: SubmitEvent) => void this.createTemplate(e, p)} aria-describedby="err-template-${p.id}">
          <div class="field"><label for="tn-${p.id}">${msg('Name')}</label><input id="tn-${p.id}" name="name" required maxlength="120" /></div>
          <div class="field"><label for="tg-${p.id}">${msg('Goal')}</label><input id="tg-${p.id}" name="goal" maxlength="2000" /></div>
          <div class="field"><label for="th-${p.id}">${msg('Length in days')}</label><input id="th-${p.id}" name="horizonDays" type="number" min="7" max="365" value="90" /></div>
          <button class="btn btn--primary" type="submit">${msg('Create template')}</button>
        </form>
        ${this.errorFor(`template-${p.id}`)}
      </details>
    </section>`;
  }

  private renderCohortPanel(c: Cohort): TemplateResult {
    const job = this.job;
    return html`<section class="panel" aria-labelledby="panel-title">
      <h3 id="panel-title" tabindex="-1">${msg(str`Enrolment in ${c.name}`)}</h3>
      ${this.enrolments.length
        ? html`<div class="table-wrap">
            <table>
              <caption>${msg(str`People enrolled (${this.enrolments.length})`)}</caption>
              <thead><tr><th scope="col">${msg('Person')}</th><th scope="col">${msg('Role')}</th><th scope="col">${msg('Source')}</th><th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th></tr></thead>
              <tbody>
                ${this.enrolments.map(
                  (en) => html`<tr>
                    <th scope="row">${en.person.displayName}</th><td>${en.role === 'mentor' ? msg('Mentor') : msg('Mentee')}</td><td>${sourceText(en.source)}</td>
                    <td><button class="btn btn--small" type="button" aria-label=${msg(str`Unenrol ${en.person.displayName}`)} @click=${() => void this.unenrol(en)}>${msg('Unenrol')}</button></td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p class="muted">${msg('Nobody is enrolled yet.')}</p>`}
      <h4>${msg('Enrol one person')}</h4>
      <form class="inline" role="search" @submit=${(e: SubmitEvent) => void this.search(e)}>
        <div class="field"><label for="q">${msg('Find by name or email')}</label><input id="q" name="q" type="search" required /></div>
        <button class="btn" type="submit">${msg('Find')}</button>
      </form>
      ${this.found.length
        ? html`<ul class="plain" aria-label=${msg('People found')}>
            ${this.found.map(
              (p) => html`<li>
                <span>${p.displayName}${p.email ? html` <span class="muted">${p.email}</span>` : nothing}</span>
                <button class="btn btn--small" type="button" aria-label=${msg(str`Enrol ${p.displayName} as mentor`)} @click=${() => void this.enrol(p, 'mentor')}>${msg('As mentor')}</button>
                <button class="btn btn--small" type="button" aria-label=${msg(str`Enrol ${p.displayName} as mentee`)} @click=${() => void this.enrol(p, 'mentee')}>${msg('As mentee')}</button>
              </li>`,
            )}
          </ul>`
        : nothing}
      ${this.errorFor('enrol')}
      <h4>${msg('Import a CSV')}</h4>
      <form class="stack" @submit=${(e: SubmitEvent) => e.preventDefault()}>
        <div class="field">
          <label for="csv">${msg('CSV rows (a header naming email and role, then one person per line)')}</label>
          <textarea id="csv" name="csv" rows="5" aria-describedby="csv-hint err-import" placeholder="email,role&#10;ada@example.com,mentor"></textarea>
          <p class="hint" id="csv-hint">${msg('Check first: a dry run reports what would happen and every rejected row, and enrols nobody.')}</p>
        </div>
        <div class="row">
          <button class="btn" type="button" data-action="dry-run" aria-disabled=${this.importing ? 'true' : 'false'}
            @click=${(e: Event) => !this.importing && void this.runImport((e.currentTarget as HTMLElement).closest('form')!, true)}>${msg('Check (dry run)')}</button>
          <button class="btn btn--primary" type="button" data-action="import" aria-disabled=${this.importing ? 'true' : 'false'}
            @click=${(e: Event) => !this.importing && void this.runImport((e.currentTarget as HTMLElement).closest('form')!, false)}>${msg('Import')}</button>
        </div>
      </form>
      ${this.errorFor('import')}
      ${job
        ? html`<div class="report" data-report>
            <label for="import-progress">${job.dryRun ? msg('Dry run progress') : msg('Import progress')}</label>
            <progress id="import-progress" max=${Math.max(job.totalRows, 1)} .value=${job.processedRows}></progress>
            <p>
              ${msg(str`${job.processedRows} of ${job.totalRows} rows.`)}
              ${job.status === 'completed'
                ? job.dryRun
                  ? msg(str`Would enrol ${job.enrolled}, change the role of ${job.roleChanged}, leave ${job.unchanged} as they are. Nobody was enrolled.`)
                  : msg(str`Enrolled ${job.enrolled}, changed the role of ${job.roleChanged}, left ${job.unchanged} as they were.`)
                : job.status === 'failed'
                  ? msg(str`The import failed: ${job.error ?? ''}`)
                  : nothing}
            </p>
            ${job.rejected.length
              ? html`<div class="table-wrap">
                  <table>
                    <caption>${msg(str`Rejected rows (${job.rejected.length})`)}</caption>
                    <thead><tr><th scope="col" class="num">${msg('Row')}</th><th scope="col">${msg('Email')}</th><th scope="col">${msg('Why')}</th></tr></thead>
                    <tbody>${job.rejected.map((r) => html`<tr><td class="num">${r.row}</td><td>${r.email ?? '—'}</td><td>${r.message}</td></tr>`)}</tbody>
                  </table>
                </div>`
              : nothing}
          </div>`
        : nothing}
      <div><button class="btn" type="button" @click=${() => this.closePanel()}>${msg('Close')}</button></div>
    </section>`;
  }

  private renderTemplatePanel(t: RoadmapTemplate): TemplateResult {
    return html`<section class="panel" aria-labelledby="panel-title">
      <h3 id="panel-title" tabindex="-1">${msg(str`Milestones of ${t.name} (version ${t.version})`)}</h3>
      <p class="muted">${msg('Saving makes a new version. Rooms already running keep their roadmap and are offered the new version; new rooms start from it.')}</p>
      <form class="stack" @submit=${(e: SubmitEvent) => void this.saveTemplate(e)} aria-describedby="err-template-edit">
        ${this.drafts.map(
          (d, i) => html`<fieldset>
            <legend>${msg(str`Milestone ${i + 1}`)}</legend>
            <div class="row">
              <div class="field"><label for="mt-${i}">${msg('Title')}</label>
                <input id="mt-${i}" name="title" required maxlength="200" .value=${d.title} @input=${(e: Event) => this.editDraft(i, 'title', (e.target as HTMLInputElement).value)} /></div>
              <div class="field"><label for="mo-${i}">${msg('Days after the cohort starts')}</label>
                <input id="mo-${i}" name="dayOffset" type="number" min="0" max=${t.horizonDays} required .value=${d.dayOffset} @input=${(e: Event) => this.editDraft(i, 'dayOffset', (e.target as HTMLInputElement).value)} /></div>
            </div>
            <div class="field"><label for="ms-${i}">${msg('Skills: short slugs such as system-design, separated by commas')}</label>
              <input id="ms-${i}" name="skills" .value=${d.skills} @input=${(e: Event) => this.editDraft(i, 'skills', (e.target as HTMLInputElement).value)} /></div>
            <div class="field"><label for="mx-${i}">${msg('Expected outcome')}</label>
              <textarea id="mx-${i}" name="outcome" rows="2" maxlength="2000" .value=${d.outcome} @input=${(e: Event) => this.editDraft(i, 'outcome', (e.target as HTMLTextAreaElement).value)}></textarea></div>
            <div><button class="btn btn--small" type="button" aria-label=${msg(str`Remove milestone ${i + 1}`)} @click=${() => void this.removeMilestone(i)}>${msg('Remove')}</button></div>
          </fieldset>`,
        )}
        <div><button class="btn" type="button" data-action="add-milestone" @click=${() => void this.addMilestone()}>${msg('Add a milestone')}</button></div>
        <div class="field">
          <label for="note">${msg('Why this change (shown to rooms deciding whether to adopt it)')}</label>
          <input id="note" name="note" required maxlength="500" />
        </div>
        <div class="row">
          <button class="btn btn--primary" type="submit">${msg('Save a new version')}</button>
          <button class="btn" type="button" @click=${() => this.closePanel()}>${msg('Close')}</button>
        </div>
      </form>
      ${this.errorFor('template-edit')}
    </section>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate();
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => (this.programs.length ? this.renderLists() : loadingState()),
        complete: () => {
          stateName = this.programs.length ? 'ready' : 'empty';
          return this.renderLists();
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${msg('Cohorts and templates')}</h2>${body}${this.announcer.render()}`;
  }

  private renderLists(): TemplateResult {
    return html`${this.cohort ? this.renderCohortPanel(this.cohort) : nothing}${this.template ? this.renderTemplatePanel(this.template) : nothing}
      <form class="inline" @submit=${(e: SubmitEvent) => void this.createProgram(e)} aria-describedby="err-program">
        <div class="field"><label for="program-name">${msg('New program')}</label><input id="program-name" name="name" required maxlength="120" /></div>
        <button class="btn btn--primary" type="submit">${msg('Create program')}</button>
      </form>
      ${this.errorFor('program')}
      ${this.programs.length ? this.programs.map((v) => this.renderProgram(v)) : emptyState(msg('No program yet'), msg('Create one to add cohorts and roadmap templates.'))}`;
  }
}
