import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { Cohort, Program } from '@menteo/api/programs';
import type {
  CohortMatchingCompleteness, Constraint, MatchingSettings, MatchCandidate, MatchingRun, MatchingRunInputs, MatchingRunSummary, MatchPair, ProfileField, UnmatchedMentee,
} from '@menteo/api/matching';
import type { MatchingApi } from '@menteo/client/matching';
import { matchingOf } from '../match-suggestions/matching-api.js';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { describeError } from '../internal/errors.js';
import { formatDateTime } from '../internal/format.js';
import { emptyState, errorState, loadingState } from '../internal/parts.js';
import { MenteoErrorEvent } from '../events.js';
import { confirmation } from '../admin-shared/admin-parts.js';
import { pointsText, refusalText, renderReasons } from '../match-suggestions/match-reasons.js';
import { readSettingsForm, renderSettingsForm } from './settings-form.js';
import { adminMatchingStyles } from './admin-matching.styles.js';

/** A program with its cohorts, for the cohort picker. */
interface ProgramCohorts {
  program: Program;
  cohorts: Cohort[];
}

function runStatusText(status: MatchingRun['status']): string {
  switch (status) {
    case 'draft': return msg('Draft');
    case 'published': return msg('Published');
    case 'superseded': return msg('Superseded');
    case 'discarded': return msg('Discarded');
  }
}

function unmatchedText(reason: UnmatchedMentee['reason']): string {
  switch (reason) {
    case 'no_eligible_mentor': return msg('No mentor passes the rules for this mentee (reporting line, exclusions, opt-outs).');
    case 'no_free_seat': return msg('Every eligible mentor’s seats went to other mentees.');
    case 'excluded_person': return msg('Left out of this run.');
    case 'opted_out': return msg('Opted out of matching.');
  }
}

function constraintText(c: Constraint): string {
  switch (c) {
    case 'self': return msg('same person');
    case 'reporting_line': return msg('reporting line');
    case 'peers': return msg('peers');
    case 'capacity': return msg('no free seat');
    case 'excluded_pair': return msg('excluded pair');
    case 'opted_out': return msg('opted out');
    case 'excluded_person': return msg('left out');
    case 'already_paired': return msg('already paired');
    case 'not_enrolled': return msg('not enrolled');
  }
}

function profileFieldText(f: ProfileField): string {
  switch (f) {
    case 'wants': return msg('skills wanted');
    case 'offers': return msg('skills offered');
    case 'goals': return msg('goals');
    case 'capacity': return msg('capacity');
    case 'timeZone': return msg('time zone');
    case 'languages': return msg('languages');
    case 'department': return msg('department');
    case 'seniority': return msg('seniority');
    case 'manager': return msg('manager');
  }
}

/** The inputs view is only read when asked for: its module loads then. */
type InputsModule = typeof import('./run-inputs.js');

/**
 * Matching for admins: pick a cohort, see how complete its profiles are and the mentors' free
 * seats, and run matching: the draft pairs every mentee it can, for the highest total score,
 * then the best lowest score, never breaking a hard rule. Review each pair with its reasons
 * (every factor and its points); lock a pair, give a mentee another mentor from their
 * candidates, swap two mentees' mentors, leave someone out or take them back, and re-run around
 * the locks. Publishing opens one room per pair from the cohort's template. Every run stays
 * listed with its figures, and what it was computed from can be shown.
 *
 * Needs a session with the `org:admin` scope. Usually shown by `<menteo-admin-console>`.
 *
 * @summary Matching runs for admins: draft, review with reasons, publish.
 * @tag menteo-admin-matching
 *
 * @csspart state - Loading, empty and error states.
 *
 * @fires {MenteoErrorEvent} menteo-error - Loading or a change failed.
 */
export class MenteoAdminMatching extends MenteoWidget {
  static override styles = [MenteoElement.styles, adminMatchingStyles];

  /** The cohort shown first; the reader can pick another. */
  @property({ attribute: 'cohort-id' }) cohortId: string | undefined = undefined;

  @state() private programs: ProgramCohorts[] = [];
  @state() private completeness: CohortMatchingCompleteness | undefined;
  @state() private runs: MatchingRunSummary[] = [];
  @state() private run: MatchingRun | undefined;
  @state() private candidates: { menteeId: string; items: MatchCandidate[] } | undefined;
  /** The mentee whose mentor the next "Swap" exchanges. */
  @state() private swapFrom: MatchPair | undefined;
  @state() private inputs: MatchingRunInputs | undefined;
  @state() private inputsModule: InputsModule | undefined;
  @state() private busy = false;
  @state() private actionError: string | undefined;
  @state() private confirming: 'publish' | 'discard' | undefined;
  /** The cohort's program's matching settings, while the admin edits them. */
  @state() private settings: MatchingSettings | undefined;
  @state() private settingsError: string | undefined;
  /** Names of everyone seen in a run: exclusions and inputs carry ids only. */
  private readonly names = new Map<string, string>();

  /** The matching namespace over the session's client, once loaded (see `matchingOf`). */
  private api: MatchingApi | undefined;

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client] as const,
    task: async ([client], { signal }) => {
      if (client === undefined) return initialState;
      const views: ProgramCohorts[] = [];
      try {
        // Both namespaces come as chunks: their schemas would take the screen over its budget.
        const [{ programsApi }, api] = await Promise.all([import('@menteo/client/programs'), matchingOf(client)]);
        this.api = api;
        const programs = programsApi(client);
        for await (const program of programs.list({}, { signal })) {
          const cohorts: Cohort[] = [];
          for await (const c of programs.cohorts.list(program.id, {}, { signal })) cohorts.push(c);
          views.push({ program, cohorts });
        }
      } catch (e) {
        this.reportLoadError(e);
      }
      this.programs = views;
      const first = this.cohortId ?? views.find((v) => v.cohorts.length)?.cohorts[0]?.id;
      if (first) await this.openCohort(first, false);
      return views.length;
    },
  });

  private get cohort(): Cohort | undefined {
    for (const v of this.programs) for (const c of v.cohorts) if (c.id === this.cohortId) return c;
    return undefined;
  }

  private remember(run: MatchingRun): void {
    for (const p of run.pairs) {
      this.names.set(p.mentor.id, p.mentor.displayName);
      this.names.set(p.mentee.id, p.mentee.displayName);
    }
    for (const u of run.unmatched) this.names.set(u.mentee.id, u.mentee.displayName);
  }

  private nameOf(id: string): string {
    return this.names.get(id) ?? id;
  }

  private async openCohort(cohortId: string, focus = true): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.cohortId = cohortId;
    this.run = undefined;
    this.settings = undefined;
    this.inputs = undefined;
    this.candidates = undefined;
    this.swapFrom = undefined;
    this.actionError = undefined;
    try {
      const [completeness, runs] = await Promise.all([api.profiles.completeness(cohortId), api.runs.list(cohortId, { limit: 20 })]);
      this.completeness = completeness;
      this.runs = runs.items;
      const draft = runs.items.find((r) => r.status === 'draft') ?? runs.items[0];
      if (draft) this.setRun(await api.runs.get(draft.id));
    } catch (e) {
      this.fail('matching-cohort-load', e);
    }
    if (focus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-cohort-heading]')?.focus();
    }
  }

  private setRun(run: MatchingRun): void {
    this.remember(run);
    this.run = run;
    if (this.inputs && this.inputs.runId !== run.id) this.inputs = undefined;
  }

  private fail(action: string, error: unknown): void {
    this.dispatchEvent(new MenteoErrorEvent(action, error));
    this.actionError = refusalText(error);
    this.announcer.assertive(this.actionError);
  }

  /** Runs a change of the open run; the answer replaces it. `focus` is a selector to focus afterwards. */
  private async change(action: string, call: () => Promise<MatchingRun>, done: string, focus?: string): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.actionError = undefined;
    try {
      this.setRun(await call());
      this.announcer.polite(done);
    } catch (e) {
      this.fail(action, e);
      return false;
    } finally {
      this.busy = false;
    }
    // The list of runs follows (a re-run adds one); the review does not wait for it.
    void this.refreshRuns();
    await this.updateComplete;
    if (focus) this.renderRoot.querySelector<HTMLElement>(focus)?.focus();
    return true;
  }

  private async refreshRuns(): Promise<void> {
    if (!this.cohortId || !this.api) return;
    try {
      this.runs = (await this.api.runs.list(this.cohortId, { limit: 20 })).items;
    } catch {
      // The list shown stays; the next change or opening the cohort again brings it up to date.
    }
  }

  private async startRun(): Promise<void> {
    const cohortId = this.cohortId;
    if (!cohortId || !this.api) return;
    const api = this.api;
    this.candidates = undefined;
    this.swapFrom = undefined;
    await this.change('matching-run-create', () => api.runs.create(cohortId, {}), msg('Matching done: a new draft to review.'), '[data-run-heading]');
  }

  private async lockToggle(p: MatchPair): Promise<void> {
    const run = this.run;
    if (!run || !this.api) return;
    const api = this.api;
    const mentee = p.mentee.displayName;
    const mentor = p.mentor.displayName;
    await this.change(
      p.locked ? 'matching-unlock' : 'matching-lock',
      () => (p.locked ? api.runs.unlock(run.id, p.mentee.id) : api.runs.lock(run.id, p.mentee.id, p.mentor.id)),
      p.locked ? msg(str`${mentee} and ${mentor} unlocked.`) : msg(str`${mentee} and ${mentor} locked: re-runs keep them.`),
      `[data-pair="${p.mentee.id}"] [data-action=lock]`,
    );
  }

  private async showCandidates(p: MatchPair | UnmatchedMentee): Promise<void> {
    const run = this.run;
    if (!run || !this.api) return;
    if (this.candidates?.menteeId === p.mentee.id) {
      this.candidates = undefined;
      return;
    }
    try {
      const { items } = await this.api.runs.candidates(run.id, p.mentee.id, { limit: 10 });
      this.candidates = { menteeId: p.mentee.id, items };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-candidates] h4')?.focus();
    } catch (e) {
      this.fail('matching-candidates', e);
    }
  }

  private async lockWith(menteeId: string, c: MatchCandidate): Promise<void> {
    const run = this.run;
    if (!run || !this.api) return;
    const api = this.api;
    const mentee = this.nameOf(menteeId);
    const mentor = c.mentor.displayName;
    if (await this.change('matching-lock', () => api.runs.lock(run.id, menteeId, c.mentor.id), msg(str`${mentee} now paired with ${mentor}, locked.`), `[data-pair="${menteeId}"] [data-action=lock]`)) {
      this.candidates = undefined;
    }
  }

  private async swap(p: MatchPair): Promise<void> {
    const run = this.run;
    const from = this.swapFrom;
    if (!run || !this.api) return;
    if (!from) {
      this.swapFrom = p;
      const name = p.mentee.displayName;
      this.announcer.polite(msg(str`Choose the mentee whose mentor ${name} takes.`));
      return;
    }
    this.swapFrom = undefined;
    if (from.mentee.id === p.mentee.id) return;
    const api = this.api;
    const a = from.mentee.displayName;
    const b = p.mentee.displayName;
    await this.change('matching-swap', () => api.runs.swap(run.id, [from.mentee.id, p.mentee.id]), msg(str`${a} and ${b} swapped mentors; both pairs are locked.`), `[data-pair="${p.mentee.id}"] [data-action=swap]`);
  }

  private async exclude(personId: string): Promise<void> {
    const run = this.run;
    if (!run || !this.api) return;
    const api = this.api;
    const name = this.nameOf(personId);
    await this.change('matching-exclude', () => api.runs.exclude(run.id, personId), msg(str`${name} left out of this draft.`), '[data-run-heading]');
  }

  private async include(personId: string): Promise<void> {
    const run = this.run;
    if (!run || !this.api) return;
    const api = this.api;
    const name = this.nameOf(personId);
    await this.change('matching-include', () => api.runs.include(run.id, personId), msg(str`${name} taken back: the next re-run considers them.`), '[data-action=rerun]');
  }

  private async rerun(): Promise<void> {
    const run = this.run;
    if (!run || !this.api) return;
    const api = this.api;
    this.candidates = undefined;
    await this.change('matching-rerun', () => api.runs.rerun(run.id), msg('Re-run done around the locks: a new draft.'), '[data-run-heading]');
  }

  private async publish(): Promise<void> {
    const run = this.run;
    if (!run || !this.api) return;
    const api = this.api;
    const count = run.pairs.length;
    if (await this.change('matching-publish', () => api.runs.publish(run.id), msg(str`Published: ${count} rooms opened from the cohort's template.`), '[data-run-heading]')) {
      this.confirming = undefined;
      if (this.cohortId) this.completeness = await this.api.profiles.completeness(this.cohortId).catch(() => this.completeness);
    }
  }

  private async discard(): Promise<void> {
    const run = this.run;
    if (!run || !this.api || this.busy) return;
    this.busy = true;
    try {
      await this.api.runs.discard(run.id);
      this.setRun(await this.api.runs.get(run.id));
      await this.refreshRuns();
      this.confirming = undefined;
      this.announcer.polite(msg('Draft discarded. It stays listed with its inputs.'));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-run-heading]')?.focus();
    } catch (e) {
      this.fail('matching-discard', e);
    } finally {
      this.busy = false;
    }
  }

  private async openRun(id: string): Promise<void> {
    if (!this.api) return;
    try {
      this.setRun(await this.api.runs.get(id));
      this.candidates = undefined;
      this.swapFrom = undefined;
      this.actionError = undefined;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-run-heading]')?.focus();
    } catch (e) {
      this.fail('matching-run-load', e);
    }
  }

  private async toggleInputs(): Promise<void> {
    const run = this.run;
    if (!run || !this.api) return;
    if (this.inputs) {
      this.inputs = undefined;
      return;
    }
    try {
      const api = this.api;
      const names = async () => {
        // Inputs carry ids: everyone enrolled gets a name, mentors without a pair included.
        for await (const p of api.profiles.ofCohort(run.cohortId, { limit: 100 })) this.names.set(p.person.id, p.person.displayName);
      };
      const [module, inputs] = await Promise.all([this.inputsModule ?? import('./run-inputs.js'), api.runs.inputs(run.id), names()]);
      this.inputsModule = module;
      this.inputs = inputs;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-inputs] h4')?.focus();
    } catch (e) {
      this.fail('matching-inputs', e);
    }
  }

  private async toggleSettings(): Promise<void> {
    const program = this.cohort?.programId;
    if (this.settings) {
      this.closeSettings();
      return;
    }
    if (!program || !this.api) return;
    try {
      this.settings = await this.api.settings.get(program);
      this.settingsError = undefined;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-settings-form] input')?.focus();
    } catch (e) {
      this.fail('matching-settings-load', e);
    }
  }

  private closeSettings(): void {
    this.settings = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-action=settings]')?.focus());
  }

  private async saveSettings(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const program = this.settings?.programId;
    if (!program || !this.api || this.busy) return;
    this.busy = true;
    this.settingsError = undefined;
    try {
      await this.api.settings.update(program, readSettingsForm(form));
      this.announcer.polite(msg('Matching settings saved: the next run uses them.'));
      this.closeSettings();
    } catch (error) {
      this.settingsError = refusalText(error);
      this.dispatchEvent(new MenteoErrorEvent('matching-settings-update', error));
    } finally {
      this.busy = false;
    }
  }

  private closeConfirm(): void {
    const which = this.confirming;
    this.confirming = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-action=${which}]`)?.focus());
  }

  private async ask(which: 'publish' | 'discard'): Promise<void> {
    this.confirming = which;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.confirm [data-cancel]')?.focus();
  }

  // Rendering

  private renderRoleRow(label: string, r: CohortMatchingCompleteness['mentors']): TemplateResult {
    const missing = (Object.entries(r.missing) as Array<[ProfileField, number | undefined]>)
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([f, n]) => `${profileFieldText(f)} (${n})`)
      .join(', ');
    return html`<tr><th scope="row">${label}</th><td class="num">${r.people}</td><td class="num">${r.complete}</td><td class="num">${r.optedOut}</td><td>${missing || '—'}</td></tr>`;
  }

  private renderCohort(c: Cohort): TemplateResult {
    const k = this.completeness;
    return html`<section class="card" aria-labelledby="cohort-h">
      <h3 id="cohort-h" tabindex="-1" data-cohort-heading>${msg(str`Matching in ${c.name}`)}</h3>
      ${k
        ? html`<div class="table-wrap"><table>
            <caption>${msg(str`Profiles (mentors' free seats: ${k.seats})`)}</caption>
            <thead><tr><th scope="col">${msg('Role')}</th><th scope="col" class="num">${msg('People')}</th><th scope="col" class="num">${msg('Complete')}</th>
              <th scope="col" class="num">${msg('Opted out')}</th><th scope="col">${msg('Missing fields (people)')}</th></tr></thead>
            <tbody>${this.renderRoleRow(msg('Mentors'), k.mentors)}${this.renderRoleRow(msg('Mentees'), k.mentees)}</tbody>
          </table></div>`
        : nothing}
      <div class="row">
        <button class="btn btn--primary" type="button" data-action="run" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => void this.startRun()}>${msg('Run matching')}</button>
        <button class="btn" type="button" data-action="settings" aria-expanded=${this.settings ? 'true' : 'false'} @click=${() => void this.toggleSettings()}>${msg('Weights and rules')}</button>
      </div>
      ${this.settings
        ? renderSettingsForm({ settings: this.settings, busy: this.busy, error: this.settingsError, onSubmit: (e) => void this.saveSettings(e), onCancel: () => this.closeSettings() })
        : nothing}
      ${this.runs.length
        ? html`<div class="table-wrap"><table>
            <caption>${msg('Runs of this cohort, newest first (each kept with its inputs)')}</caption>
            <thead><tr><th scope="col">${msg('Made')}</th><th scope="col">${msg('Status')}</th><th scope="col" class="num">${msg('Matched')}</th>
              <th scope="col" class="num">${msg('Total score')}</th><th scope="col" class="num">${msg('Lowest score')}</th><th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th></tr></thead>
            <tbody>${this.runs.map(
              (r) => html`<tr data-run=${r.id} aria-current=${r.id === this.run?.id ? 'true' : 'false'}>
                <td>${formatDateTime(new Date(r.createdAt))}</td><td>${runStatusText(r.status)}</td>
                <td class="num">${r.totals.matched} / ${r.totals.mentees}</td><td class="num">${r.totals.totalScore}</td><td class="num">${r.totals.minScore}</td>
                <td><button class="btn btn--small" type="button" aria-label=${msg(str`Open the run of ${formatDateTime(new Date(r.createdAt))}`)} @click=${() => void this.openRun(r.id)}>${msg('Open')}</button></td>
              </tr>`,
            )}</tbody>
          </table></div>`
        : html`<p class="muted">${msg('No run yet. Running matching makes a draft: nobody is told until you publish it.')}</p>`}
    </section>`;
  }

  private renderPairActions(p: MatchPair): TemplateResult {
    const mentee = p.mentee.displayName;
    const mentor = p.mentor.displayName;
    const swapping = this.swapFrom;
    return html`<div class="actions">
      <button class="btn btn--small" type="button" data-action="lock" aria-pressed=${p.locked ? 'true' : 'false'} aria-label=${msg(str`Lock ${mentee} with ${mentor}`)}
        @click=${() => void this.lockToggle(p)}>${msg('Lock')}</button>
      <button class="btn btn--small" type="button" data-action="candidates" aria-expanded=${this.candidates?.menteeId === p.mentee.id ? 'true' : 'false'}
        aria-label=${msg(str`Other mentors for ${mentee}`)} @click=${() => void this.showCandidates(p)}>${msg('Other mentors')}</button>
      <button class="btn btn--small" type="button" data-action="swap" aria-pressed=${swapping?.mentee.id === p.mentee.id ? 'true' : 'false'}
        aria-label=${swapping && swapping.mentee.id !== p.mentee.id ? msg(str`Swap with this one: ${mentee} and ${swapping.mentee.displayName} exchange mentors`) : msg(str`Swap the mentor of ${mentee}`)}
        @click=${() => void this.swap(p)}>${swapping && swapping.mentee.id !== p.mentee.id ? msg('Swap with this one') : msg('Swap')}</button>
      <button class="btn btn--small" type="button" data-action="exclude-mentee" aria-label=${msg(str`Leave out mentee ${mentee}`)} @click=${() => void this.exclude(p.mentee.id)}>${msg('Leave out mentee')}</button>
      <button class="btn btn--small" type="button" data-action="exclude-mentor" aria-label=${msg(str`Leave out mentor ${mentor}`)} @click=${() => void this.exclude(p.mentor.id)}>${msg('Leave out mentor')}</button>
    </div>`;
  }

  private renderCandidates(menteeId: string): TemplateResult | typeof nothing {
    const c = this.candidates;
    if (!c || c.menteeId !== menteeId) return nothing;
    const mentee = this.nameOf(menteeId);
    return html`<div class="candidates" data-candidates>
      <h4 tabindex="-1">${msg(str`Mentors for ${mentee}, best first`)}</h4>
      ${c.items.length
        ? html`<ul class="plain">${c.items.map((m) => {
            const mentor = m.mentor.displayName;
            return html`<li>
              <span><strong>${mentor}</strong> · ${pointsText(m.score, m.maxScore)}
                ${m.blockedBy.length ? html` · <span class="blocked">${msg(str`Not possible: ${m.blockedBy.map(constraintText).join(', ')}`)}</span>` : nothing}</span>
              <details><summary>${msg(str`Why ${mentor}`)}</summary>${renderReasons(m, 'pair')}</details>
              <button class="btn btn--small" type="button" aria-disabled=${m.blockedBy.length ? 'true' : 'false'} aria-label=${msg(str`Pair and lock: ${mentee} with ${mentor}`)}
                @click=${() => !m.blockedBy.length && void this.lockWith(menteeId, m)}>${msg('Pair and lock')}</button>
            </li>`;
          })}</ul>`
        : html`<p class="muted">${msg('No other mentor for this mentee.')}</p>`}
    </div>`;
  }

  private renderRun(run: MatchingRun): TemplateResult {
    const draft = run.status === 'draft';
    const t = run.totals;
    const when = formatDateTime(new Date(run.createdAt));
    return html`<section class="card panel" aria-labelledby="run-h" data-run-status=${run.status}>
      <h3 id="run-h" tabindex="-1" data-run-heading>${msg(str`Run of ${when}: ${runStatusText(run.status)}`)}</h3>
      <p>${msg(str`${t.matched} of ${t.mentees} mentees matched with ${t.mentors} mentors. Total score ${t.totalScore} (one mentee at a time would give ${t.greedyTotalScore}); lowest score ${t.minScore} (${t.greedyMinScore}).`)}</p>
      ${this.swapFrom ? html`<p class="muted">${msg(str`Swapping: choose the mentee who exchanges mentors with ${this.swapFrom.mentee.displayName}, or press Swap again to cancel.`)}</p>` : nothing}
      ${run.pairs.length
        ? html`<div class="table-wrap"><table class="pairs">
            <caption>${msg(str`Pairs (${run.pairs.length})`)}</caption>
            <thead><tr><th scope="col">${msg('Mentee')}</th><th scope="col">${msg('Mentor')}</th><th scope="col" class="num">${msg('Score')}</th><th scope="col">${msg('Why')}</th>
              ${draft ? html`<th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th>` : html`<th scope="col">${msg('Room')}</th>`}</tr></thead>
            <tbody>${run.pairs.map(
              (p) => html`<tr data-pair=${p.mentee.id} data-locked=${p.locked ? 'true' : 'false'}>
                <th scope="row">${p.mentee.displayName}${p.locked ? html` <span class="badge">${msg('locked')}</span>` : nothing}</th>
                <td>${p.mentor.displayName}</td>
                <td class="num">${pointsText(p.score, p.maxScore)}</td>
                <td><details><summary>${msg('Reasons')}</summary>${renderReasons(p, 'pair')}</details></td>
                ${draft
                  ? html`<td>${this.renderPairActions(p)}${this.renderCandidates(p.mentee.id)}</td>`
                  : html`<td>${p.roomId ? msg('Room opened') : '—'}</td>`}
              </tr>`,
            )}</tbody>
          </table></div>`
        : emptyState(msg('No pair in this run'), msg('Check the profiles and the mentors’ capacity, then run again.'))}
      ${run.unmatched.length
        ? html`<h4>${msg(str`Not matched (${run.unmatched.length})`)}</h4>
            <ul class="plain">${run.unmatched.map(
              (u) => html`<li data-unmatched=${u.mentee.id}><span><strong>${u.mentee.displayName}</strong>: ${unmatchedText(u.reason)}</span>
                ${draft && u.reason !== 'excluded_person' && u.reason !== 'opted_out'
                  ? html`<button class="btn btn--small" type="button" aria-label=${msg(str`Other mentors for ${u.mentee.displayName}`)} @click=${() => void this.showCandidates(u)}>${msg('Other mentors')}</button>${this.renderCandidates(u.mentee.id)}`
                  : nothing}</li>`,
            )}</ul>`
        : nothing}
      ${run.excludedPersonIds.length
        ? html`<h4>${msg(str`Left out (${run.excludedPersonIds.length})`)}</h4>
            <ul class="plain">${run.excludedPersonIds.map(
              (id) => html`<li data-excluded=${id}><span>${this.nameOf(id)}</span>
                ${draft ? html`<button class="btn btn--small" type="button" aria-label=${msg(str`Take back ${this.nameOf(id)}`)} @click=${() => void this.include(id)}>${msg('Take back')}</button>` : nothing}</li>`,
            )}</ul>`
        : nothing}
      <div class="row">
        ${draft
          ? html`<button class="btn" type="button" data-action="rerun" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => void this.rerun()}>${msg('Re-run around the locks')}</button>
              <button class="btn btn--primary" type="button" data-action="publish" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => void this.ask('publish')}>${msg('Publish')}</button>
              <button class="btn" type="button" data-action="discard" @click=${() => void this.ask('discard')}>${msg('Discard draft')}</button>`
          : nothing}
        <button class="btn" type="button" data-action="inputs" aria-expanded=${this.inputs ? 'true' : 'false'} @click=${() => void this.toggleInputs()}>${msg('What this run used')}</button>
      </div>
      ${this.confirming === 'publish'
        ? confirmation({
            id: 'confirm-publish',
            question: msg(str`Publish ${run.pairs.length} pairs?`),
            consequence: msg('Each pair gets a room started from the cohort’s template, and everyone is told. This cannot be undone here.'),
            confirmLabel: msg('Publish and open the rooms'),
            busy: this.busy,
            error: this.actionError,
            onConfirm: () => void this.publish(),
            onCancel: () => this.closeConfirm(),
          })
        : nothing}
      ${this.confirming === 'discard'
        ? confirmation({
            id: 'confirm-discard',
            question: msg('Discard this draft?'),
            consequence: msg('Nobody is told; the draft stays listed with its inputs.'),
            confirmLabel: msg('Discard'),
            busy: this.busy,
            error: this.actionError,
            onConfirm: () => void this.discard(),
            onCancel: () => this.closeConfirm(),
          })
        : nothing}
      ${this.inputs && this.inputsModule ? html`<div data-inputs>${this.inputsModule.renderInputs(this.inputs, (id) => this.nameOf(id))}</div>` : nothing}
    </section>`;
  }

  private renderPicker(): TemplateResult {
    const any = this.programs.some((v) => v.cohorts.length);
    if (!any) return emptyState(msg('No cohort yet'), msg('Create a program and a cohort, and enrol mentors and mentees, in Cohorts and templates.'));
    return html`<form class="inline" @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      const id = String(new FormData(e.currentTarget as HTMLFormElement).get('cohort') ?? '');
      if (id) void this.openCohort(id);
    }}>
      <div class="field">
        <label for="cohort">${msg('Cohort')}</label>
        <select id="cohort" name="cohort">
          ${this.programs.filter((v) => v.cohorts.length).map(
            (v) => html`<optgroup label=${v.program.name}>${v.cohorts.map((c) => html`<option value=${c.id} ?selected=${c.id === this.cohortId}>${c.name}</option>`)}</optgroup>`,
          )}
        </select>
      </div>
      <button class="btn" type="submit">${msg('Show')}</button>
    </form>`;
  }

  private renderBody(): TemplateResult {
    const c = this.cohort;
    // One place for a refused change, above the run (the confirmation shows its own).
    const error = this.actionError && !this.confirming ? html`<p class="error-text" role="alert" data-action-error>${this.actionError}</p>` : nothing;
    return html`${this.renderPicker()}${c ? this.renderCohort(c) : nothing}${error}${c && this.run ? this.renderRun(this.run) : nothing}`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate();
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => (this.programs.length ? this.renderBody() : loadingState()),
        complete: () => {
          stateName = this.programs.length ? 'ready' : 'empty';
          return this.renderBody();
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${msg('Matching')}</h2>${body}${this.announcer.render()}`;
  }
}
