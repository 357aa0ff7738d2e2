import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { AttentionFinding } from '@menteo/api/attention';
import type { ProgramHealthSummary } from '@menteo/api/health';
import type { Cohort } from '@menteo/api/programs';
import { programsApi } from '@menteo/client/programs';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { describeError } from '../internal/errors.js';
import { MenteoErrorEvent } from '../events.js';
import { formatDate, formatDateTime } from '../internal/format.js';
import { errorState, loadingState } from '../internal/parts.js';
import { barChart, lineChart } from './charts.js';
import { adminHealthStyles } from './admin-health.styles.js';

/** An at-risk reason in words, from its code and numbers only (the summary carries no text of the room). */
export function riskReason(f: AttentionFinding): string {
  const days = f.days ?? 0;
  switch (f.code) {
    case 'milestone_overdue':
      return msg(str`A milestone is ${days} days past its due date.`);
    case 'milestone_blocked':
      return msg(str`A milestone has been blocked for ${days} days.`);
    case 'check_ins_stopped':
      return msg(str`A mentee has not checked in for ${days} days.`);
    case 'confidence_falling':
      return msg(str`A mentee's confidence is falling (${f.confidences.join(' → ')}).`);
  }
}

/** What an export button asks for. */
interface ExportChoice {
  kind: 'rooms' | 'people';
  format: 'csv' | 'json';
}

const EXPORTS: readonly ExportChoice[] = [
  { kind: 'rooms', format: 'csv' },
  { kind: 'rooms', format: 'json' },
  { kind: 'people', format: 'csv' },
  { kind: 'people', format: 'json' },
];

function num(v: number | null): string {
  return v === null ? '—' : String(v);
}

/**
 * Program health for the people who run a program, for the whole organization or one cohort:
 * rooms active, stalled and finished, the milestone funnel, check-in cadence and the confidence
 * trend, feedback ratings both ways, mentor load, and the at-risk rooms with their reasons. Each
 * chart has a table with the same numbers. Exports rooms or people as CSV or JSON from the API's
 * streamed export. Numbers and reasons only: it never shows what anyone wrote.
 *
 * Needs a session with the `org:admin` scope. Usually shown by `<menteo-admin-console>`.
 *
 * @summary Program health and at-risk rooms for admins, with exports.
 * @tag menteo-admin-health
 *
 * @csspart state - Loading and error states.
 *
 * @cssstate loading - Loading.
 * @cssstate error - The summary could not load.
 *
 * @fires {MenteoErrorEvent} menteo-error - Loading or an export failed.
 */
export class MenteoAdminHealth extends MenteoWidget {
  static override styles = [MenteoElement.styles, adminHealthStyles];

  @state() private cohorts: Cohort[] = [];
  @state() private cohortId = '';
  @state() private exporting: string | undefined;

  private readonly cohortsTask = new Task(this, {
    args: () => [this.session?.client] as const,
    task: async ([client], { signal }) => {
      if (client === undefined) return initialState;
      const programs = programsApi(client);
      const found: Cohort[] = [];
      for await (const p of programs.list({}, { signal })) {
        for await (const c of programs.cohorts.list(p.id, {}, { signal })) found.push(c);
      }
      this.cohorts = found;
      return found.length;
    },
  });

  private readonly summaryTask = new Task(this, {
    args: () => [this.session?.client, this.cohortId] as const,
    task: async ([client, cohortId], { signal }) => {
      if (client === undefined) return initialState;
      return client.program.summary(cohortId ? { cohortId } : {}, { signal }).then(undefined, (e: unknown) => this.reportLoadError(e));
    },
  });

  /** Loads the summary again. */
  refresh(): void {
    void this.summaryTask.run();
  }

  private async download(choice: ExportChoice): Promise<void> {
    const client = this.session?.client;
    if (client === undefined) return;
    const name = `${choice.kind}.${choice.format}`;
    this.exporting = name;
    try {
      const stream = await client.program.export({ ...choice, ...(this.cohortId ? { cohortId: this.cohortId } : {}) });
      // The body streams in; the download starts once it is whole (a browser offers no streamed save without a service worker).
      const blob = await new Response(stream).blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.hidden = true;
      this.renderRoot.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.announcer.polite(msg(str`${name} downloaded (${blob.size} bytes).`));
    } catch (e) {
      this.dispatchEvent(new MenteoErrorEvent('export', e));
      this.announcer.assertive(msg(str`Could not export ${name}: ${describeError(e)}`));
    } finally {
      this.exporting = undefined;
    }
  }

  private renderToolbar(): TemplateResult {
    return html`<div class="toolbar">
      <label
        >${msg('Show')}
        <select
          @change=${(e: Event) => {
            this.cohortId = (e.target as HTMLSelectElement).value;
          }}
        >
          <option value="" ?selected=${this.cohortId === ''}>${msg('The whole organization')}</option>
          ${this.cohorts.map(
            (c) => html`<option value=${c.id} ?selected=${this.cohortId === c.id}>${c.name} (${formatDate(c.startDate)} – ${formatDate(c.endDate)})</option>`,
          )}
        </select>
      </label>
      <div class="exports" role="group" aria-label=${msg('Export')}>
        ${EXPORTS.map(
          (c) => html`<button
            class="btn"
            type="button"
            data-export="${c.kind}.${c.format}"
            aria-disabled=${this.exporting ? 'true' : 'false'}
            @click=${() => {
              if (!this.exporting) void this.download(c);
            }}
          >
            ${c.kind === 'rooms' ? msg(str`Export rooms (${c.format.toUpperCase()})`) : msg(str`Export people (${c.format.toUpperCase()})`)}
          </button>`,
        )}
      </div>
    </div>`;
  }

  private renderSummary(s: ProgramHealthSummary): TemplateResult {
    const roomRows: Array<[string, number, string]> = [
      [msg('Active'), s.rooms.active, 'bar--success'],
      [msg('Stalled'), s.rooms.stalled, 'bar--warning'],
      [msg('Finished'), s.rooms.finished, ''],
    ];
    const funnel: Array<[string, number, string]> = [
      [msg('Planned'), s.milestones.planned, ''],
      [msg('In progress'), s.milestones.in_progress, ''],
      [msg('Done'), s.milestones.done, 'bar--success'],
      [msg('Blocked'), s.milestones.blocked, 'bar--danger'],
      [msg('Overdue'), s.milestones.overdue, 'bar--warning'],
    ];
    const bars = (rows: Array<[string, number, string]>) => barChart(rows.map(([label, value, tone]) => ({ label, value, tone })));
    const table = (caption: string, head: string, rows: Array<[string, number, string]>) => html`<div class="table-wrap">
      <table>
        <caption>${caption}</caption>
        <thead><tr><th scope="col">${head}</th><th scope="col" class="num">${msg('Count')}</th></tr></thead>
        <tbody>${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td class="num">${value}</td></tr>`)}</tbody>
      </table>
    </div>`;
    return html`<p class="muted">${msg(str`Evaluated ${formatDateTime(new Date(s.evaluatedAt))}.`)}</p>
      <div class="grid">
        <section class="card" aria-labelledby="h-rooms">
          <h3 id="h-rooms">${msg(str`Rooms (${s.rooms.total})`)}</h3>
          <figure>${bars(roomRows)}${table(msg('Rooms by state'), msg('State'), roomRows)}</figure>
        </section>
        <section class="card" aria-labelledby="h-funnel">
          <h3 id="h-funnel">${msg('Milestone funnel')}</h3>
          <figure>${bars(funnel)}${table(msg('Milestones by status'), msg('Status'), funnel)}</figure>
        </section>
        <section class="card" aria-labelledby="h-cadence">
          <h3 id="h-cadence">${msg('Check-ins and confidence')}</h3>
          <p>
            ${msg(str`${s.checkIns.last28Days} check-ins in the last 28 days from ${s.checkIns.mentees} mentees:`)}
            ${s.checkIns.perMenteePerWeek === null ? msg('no mentees yet.') : msg(str`${s.checkIns.perMenteePerWeek} per mentee per week.`)}
          </p>
          <figure>
            ${lineChart(s.checkIns.confidence.map((w) => ({ label: w.week, value: w.average })), 1, 5)}
            <div class="table-wrap">
              <table>
                <caption>${msg('Average confidence (1 to 5) by week')}</caption>
                <thead><tr><th scope="col">${msg('Week of')}</th><th scope="col" class="num">${msg('Check-ins')}</th><th scope="col" class="num">${msg('Average')}</th></tr></thead>
                <tbody>
                  ${s.checkIns.confidence.map((w) => html`<tr><th scope="row">${formatDate(w.week)}</th><td class="num">${w.checkIns}</td><td class="num">${num(w.average)}</td></tr>`)}
                </tbody>
              </table>
            </div>
          </figure>
        </section>
        <section class="card" aria-labelledby="h-feedback">
          <h3 id="h-feedback">${msg('Feedback ratings')}</h3>
          <div class="table-wrap">
            <table>
              <caption>${msg('Ratings (1 to 5); comments are never shown here')}</caption>
              <thead><tr><th scope="col">${msg('Direction')}</th><th scope="col" class="num">${msg('Ratings')}</th><th scope="col" class="num">${msg('Average')}</th></tr></thead>
              <tbody>
                <tr><th scope="row">${msg('Mentees about mentors')}</th><td class="num">${s.feedback.mentee_to_mentor.count}</td><td class="num">${num(s.feedback.mentee_to_mentor.average)}</td></tr>
                <tr><th scope="row">${msg('Mentors about mentees')}</th><td class="num">${s.feedback.mentor_to_mentee.count}</td><td class="num">${num(s.feedback.mentor_to_mentee.average)}</td></tr>
              </tbody>
            </table>
          </div>
        </section>
        <section class="card" aria-labelledby="h-load">
          <h3 id="h-load">${msg('Mentor load')}</h3>
          ${s.mentorLoad.length
            ? html`<div class="table-wrap">
                <table>
                  <caption>${msg('Mentors by load, heaviest first')}</caption>
                  <thead><tr><th scope="col">${msg('Mentor')}</th><th scope="col" class="num">${msg('Mentees')}</th><th scope="col" class="num">${msg('Active rooms')}</th></tr></thead>
                  <tbody>${s.mentorLoad.map((m) => html`<tr><th scope="row">${m.displayName}</th><td class="num">${m.mentees}</td><td class="num">${m.rooms}</td></tr>`)}</tbody>
                </table>
              </div>`
            : html`<p>${msg('No mentor has an active room.')}</p>`}
        </section>
      </div>
      <section aria-labelledby="h-risk" class="card">
        <h3 id="h-risk">${msg(str`Rooms that need help (${s.atRiskCount})`)}</h3>
        ${s.atRisk.length
          ? html`<ul class="risks">
              ${s.atRisk.map(
                (r) => html`<li class="risk" part="risk">
                  <strong>${r.title}</strong>
                  <ul>${r.findings.map((f) => html`<li>${riskReason(f)}</li>`)}</ul>
                </li>`,
              )}
            </ul>
            ${s.atRiskCount > s.atRisk.length ? html`<p class="muted">${msg(str`The first ${s.atRisk.length}; the rooms export lists them all.`)}</p>` : nothing}`
          : html`<p>${msg('No room needs help right now.')}</p>`}
      </section>
      <p class="privacy">${msg('Numbers and reasons only: what people wrote in rooms, check-ins and feedback is not shown to admins.')}</p>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate();
    if (body === undefined) {
      body = this.summaryTask.render({
        initial: () => loadingState(),
        pending: () => loadingState(),
        complete: (s) => {
          stateName = 'ready';
          return typeof s === 'symbol' ? loadingState() : this.renderSummary(s);
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.summaryTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${msg('Program health')}</h2>${this.session?.client ? this.renderToolbar() : nothing}${body}${this.announcer.render()}`;
  }
}
