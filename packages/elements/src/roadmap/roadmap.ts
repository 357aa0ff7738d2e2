import { html, nothing, svg, type TemplateResult } from 'lit';
import { cssProps } from '../internal/css-props.js';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { AddMilestone, Milestone, MilestoneStatus, Revision, Roadmap, UpdateMilestone } from '@menteo/api/roadmaps';
import type { Post } from '@menteo/api/threads';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { can } from '../internal/session-consumer.js';
import { LiveController } from '../internal/live-controller.js';
import { DraftStore, newIdempotencyKey } from '../internal/draft-store.js';
import { describeError, errorCode } from '../internal/errors.js';
import { addDays, formatDate, formatPercent, parseDateOnly, relativeTime, todayDateOnly } from '../internal/format.js';
import { avatar, emptyState, errorState, loadingState } from '../internal/parts.js';
import { uniqueId } from '../internal/ids.js';
import { MenteoErrorEvent, MenteoMilestoneChangeEvent } from '../events.js';
import { roadmapStyles } from './roadmap.styles.js';

/** A milestone in progress without a status change for this long is "stalled". */
const STALLED_DAYS = 21;
const DAY_MS = 24 * 3600 * 1000;

/** Why a milestone needs attention. */
export type Risk = 'overdue' | 'blocked' | 'stalled';

/** The risks of a milestone on `today` (`YYYY-MM-DD`). Exported for tests and hosts. */
export function risksOf(m: Milestone, today: string, now: Date = new Date()): Risk[] {
  if (m.status === 'done') return [];
  const out: Risk[] = [];
  if (m.dueDate < today) out.push('overdue');
  if (m.status === 'blocked') out.push('blocked');
  if (m.status === 'in_progress' && now.getTime() - new Date(m.statusChangedAt).getTime() > STALLED_DAYS * DAY_MS) out.push('stalled');
  return out;
}

function statusLabel(s: MilestoneStatus): string {
  switch (s) {
    case 'planned':
      return msg('Planned');
    case 'in_progress':
      return msg('In progress');
    case 'done':
      return msg('Done');
    case 'blocked':
      return msg('Blocked');
  }
}

function riskLabel(r: Risk): string {
  return r === 'overdue' ? msg('Overdue') : r === 'blocked' ? msg('Blocked') : msg('Stalled');
}

// Status is told by shape as well as colour and text, so it survives colour blindness and
// greyscale printing: hollow circle, half-filled circle, check in a filled circle, crossed square.
function statusIcon(s: MilestoneStatus): TemplateResult {
  const shape =
    s === 'planned'
      ? svg`<circle cx="8" cy="8" r="6" class="i-stroke" />`
      : s === 'in_progress'
        ? svg`<circle cx="8" cy="8" r="6" class="i-stroke" /><path d="M8 2a6 6 0 0 1 0 12z" class="i-fill" />`
        : s === 'done'
          ? svg`<circle cx="8" cy="8" r="7" class="i-fill" /><path d="m4.8 8.2 2.2 2.2 4.2-4.6" class="i-mark" />`
          : svg`<rect x="2" y="2" width="12" height="12" rx="2" class="i-fill" /><path d="m5.5 5.5 5 5m0-5-5 5" class="i-mark" />`;
  return html`<svg part="status-icon" class="status-icon status-icon--${s}" viewBox="0 0 16 16" aria-hidden="true">${shape}</svg>`;
}

interface Edit {
  milestoneId: string | undefined;
  title: string;
  description: string;
  dueDate: string;
  expectedOutcome: string;
  status: MilestoneStatus;
  reason: string;
  saving: boolean;
  error: string | undefined;
  /** Set when the edit is a keyboard move of the due date (only date and reason shown). */
  moveOnly: boolean;
  /**
   * The last attempt's request and idempotency key: retrying the same change reuses the key, so a
   * save whose answer was lost is answered from the server's record instead of a 409 conflict.
   */
  attempt?: { key: string; request: string } | undefined;
}

/**
 * A roadmap as a timeline over its horizon: milestones placed by due date, a today marker,
 * status told by text, shape and colour, a progress summary and the milestones that need
 * attention (overdue, blocked, stalled). People allowed to edit can add and edit milestones,
 * change their status and move due dates, with the mouse or the keyboard (← / → move the
 * focused milestone a day, with Shift a week); every change asks for a reason, and the
 * revision history is one click away.
 *
 * @summary Roadmap timeline with progress, risks, reasoned edits and revision history.
 * @tag menteo-roadmap
 *
 * @csspart header - Title, goal, owner and the progress summary.
 * @csspart progress - The progress bar.
 * @csspart risks - The "needs attention" callout.
 * @csspart timeline - The timeline track.
 * @csspart today - The today marker.
 * @csspart milestone - One milestone on the timeline (a button).
 * @csspart status-icon - The status shape of a milestone.
 * @csspart details - The selected milestone's details and edit form.
 * @csspart history - The revision history.
 * @csspart button - Every button.
 * @csspart state - Loading, empty and error states.
 *
 * @cssprop --menteo-color-success - Colour of done milestones.
 * @cssprop --menteo-color-danger - Colour of blocked and overdue milestones.
 * @cssprop --menteo-color-info - Colour of milestones in progress.
 * @cssprop --menteo-color-accent - Today marker, buttons.
 *
 * @cssstate loading - The roadmap is loading.
 * @cssstate empty - No roadmap, or no milestones.
 * @cssstate error - The roadmap could not load.
 *
 * @fires {MenteoMilestoneChangeEvent} menteo-milestone-change - A milestone was added, edited, moved or removed (after the server acknowledged it).
 * @fires {MenteoErrorEvent} menteo-error - A load or a change failed.
 */
export class MenteoRoadmap extends MenteoWidget {
  static override styles = [MenteoElement.styles, roadmapStyles];

  /** The roadmap to show. */
  @property({ attribute: 'roadmap-id', reflect: true }) roadmapId: string | undefined = undefined;

  /** Without `roadmap-id`: show the roadmap of this room. */
  @property({ attribute: 'room-id', reflect: true }) roomId: string | undefined = undefined;

  /** Shows the roadmap without edit controls even for people allowed to edit. */
  @property({ type: Boolean }) readonly = false;

  @state() private roadmap: Roadmap | undefined;
  @state() private selectedId: string | undefined;
  @state() private edit: Edit | undefined;
  @state() private historyOpen = false;
  @state() private revisions: { status: 'loading' | 'ready' | 'error'; items: Revision[]; error?: unknown } | undefined;
  @state() private today = todayDateOnly();
  /** Evidence posts by milestone, loaded when a milestone is opened. */
  @state() private evidence = new Map<string, { status: 'loading' | 'ready' | 'error'; posts: Post[] }>();

  private readonly ids = { details: uniqueId('details'), history: uniqueId('history'), reason: uniqueId('reason') };
  private readonly live = new LiveController(this, {
    client: () => this.session?.client,
    session: () => this.session,
    target: () => this.roadmap?.roomId ?? '',
    open: (client, options) => {
      const sub = client.events.room(this.roadmap?.roomId ?? '', options);
      sub.on('roadmap.updated', (e) => {
        if (e.data.id !== this.roadmap?.id || e.data.version <= (this.roadmap?.version ?? 0)) return;
        this.roadmap = e.data;
        if (this.historyOpen) void this.loadRevisions();
        this.announcer.polite(msg('The roadmap was updated.'));
      });
      return sub;
    },
    // A tab left open overnight shows the new day's timeline.
    onVisible: () => {
      this.today = todayDateOnly();
    },
  });

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client, this.roadmapId, this.roomId] as const,
    task: async ([client, roadmapId, roomId], { signal }) => {
      if (client === undefined || (!roadmapId && !roomId)) return initialState;
      let roadmap: Roadmap | undefined;
      try {
        if (roadmapId) roadmap = await client.roadmaps.get(roadmapId, { signal });
        else roadmap = (await client.roadmaps.list({ roomId, limit: 1 }, { signal })).items[0];
      } catch (error) {
        this.reportLoadError(error);
      }
      this.roadmap = roadmap;
      this.revisions = undefined;
      return roadmap?.id;
    },
  });

  /** The roadmap as last loaded or changed. */
  get currentRoadmap(): Roadmap | undefined {
    return this.roadmap;
  }

  protected override firstUpdated(): void {
    if (!this.roadmapId && !this.roomId) this.warn('no-id', 'needs a `roadmap-id` or a `room-id` attribute to know which roadmap to show.');
  }

  private canEdit(): boolean {
    return !this.readonly && can(this.session?.me, 'roadmaps:write');
  }

  // ---- editing ----------------------------------------------------------------------------

  private draftFor(milestoneId: string | undefined): DraftStore | undefined {
    return this.roadmap ? new DraftStore(`roadmap:${this.draftOwner()}:${this.roadmap.id}:${milestoneId ?? 'new'}`) : undefined;
  }

  private startEdit(m: Milestone | undefined, moveOnly = false, dueDate?: string): void {
    const saved = this.draftFor(m?.id)?.load();
    const f = saved?.fields ?? {};
    this.edit = {
      milestoneId: m?.id,
      title: f.title ?? m?.title ?? '',
      description: f.description ?? m?.description ?? '',
      dueDate: dueDate ?? f.dueDate ?? m?.dueDate ?? addDays(this.today, 14),
      expectedOutcome: f.expectedOutcome ?? m?.expectedOutcome ?? '',
      status: (f.status as MilestoneStatus | undefined) ?? m?.status ?? 'planned',
      reason: saved?.text ?? '',
      saving: false,
      error: undefined,
      moveOnly,
    };
    if (m) this.selectedId = m.id;
    void this.updateComplete.then(() => {
      const target = moveOnly ? `#${this.ids.reason}` : '[data-edit-first]';
      this.renderRoot.querySelector<HTMLElement>(target)?.focus();
    });
  }

  private setEdit(patch: Partial<Edit>): void {
    if (this.edit === undefined) return;
    this.edit = { ...this.edit, ...patch, error: undefined };
    const e = this.edit;
    this.draftFor(e.milestoneId)?.save(e.reason, {
      title: e.title,
      description: e.description,
      dueDate: e.dueDate,
      expectedOutcome: e.expectedOutcome,
      status: e.status,
    });
  }

  private cancelEdit(): void {
    if (this.edit === undefined) return;
    this.draftFor(this.edit.milestoneId)?.clear();
    const id = this.edit.milestoneId;
    this.edit = undefined;
    if (id) void this.updateComplete.then(() => this.focusMilestone(id));
  }

  private focusMilestone(id: string): void {
    this.renderRoot.querySelector<HTMLElement>(`[data-milestone="${id}"]`)?.focus();
  }

  private async saveEdit(ev?: Event): Promise<void> {
    ev?.preventDefault();
    const e = this.edit;
    const roadmap = this.roadmap;
    const client = this.session?.client;
    if (e === undefined || roadmap === undefined || client === undefined || e.saving) return;
    const reason = e.reason.trim();
    if (reason === '') {
      this.edit = { ...e, error: msg('Say why you are making this change: it is kept in the history.') };
      this.renderRoot.querySelector<HTMLElement>(`#${this.ids.reason}`)?.focus();
      return;
    }
    if (!e.moveOnly && e.title.trim() === '') {
      this.edit = { ...e, error: msg('A milestone needs a title.') };
      return;
    }
    const before = roadmap;
    const existing = roadmap.milestones.find((m) => m.id === e.milestoneId);
    // Optimistic: the timeline shows the change at once; a failure puts the old roadmap back.
    const patch = {
      title: e.title.trim(),
      description: e.description,
      dueDate: e.dueDate,
      expectedOutcome: e.expectedOutcome,
      status: e.status,
    };
    if (existing) {
      const changed: Milestone = { ...existing, ...(e.moveOnly ? { dueDate: e.dueDate } : patch) };
      this.roadmap = { ...roadmap, milestones: sortByDue(roadmap.milestones.map((m) => (m.id === existing.id ? changed : m))) };
    }
    const update: UpdateMilestone | undefined = existing
      ? e.moveOnly
        ? { reason, baseVersion: roadmap.version, dueDate: e.dueDate }
        : { reason, baseVersion: roadmap.version, ...diff(existing, patch) }
      : undefined;
    const add: AddMilestone = { reason, baseVersion: roadmap.version, milestone: { ...patch } };
    const request = JSON.stringify([roadmap.id, existing?.id, update ?? add]);
    const key = e.attempt?.request === request ? e.attempt.key : newIdempotencyKey();
    this.edit = { ...e, saving: true, error: undefined, attempt: { key, request } };
    try {
      let updated: Roadmap;
      if (existing && update) {
        updated = await client.roadmaps.milestones.update(roadmap.id, existing.id, update, { idempotencyKey: key });
      } else {
        updated = await client.roadmaps.milestones.add(roadmap.id, add, { idempotencyKey: key });
      }
      this.roadmap = updated;
      this.draftFor(e.milestoneId)?.clear();
      this.edit = undefined;
      const milestone = existing
        ? updated.milestones.find((m) => m.id === existing.id)
        : updated.milestones.find((m) => !roadmap.milestones.some((old) => old.id === m.id));
      if (milestone) this.selectedId = milestone.id;
      if (this.historyOpen) void this.loadRevisions();
      this.announcer.polite(msg('Change saved.'));
      this.dispatchEvent(new MenteoMilestoneChangeEvent(updated, milestone, reason));
      if (milestone) void this.updateComplete.then(() => this.focusMilestone(milestone.id));
    } catch (error) {
      this.roadmap = before;
      const conflict = errorCode(error) === 'conflict';
      const message = conflict
        ? msg('Someone changed this roadmap meanwhile. It has been reloaded; check it and save again.')
        : msg(str`Not saved. ${describeError(error)}`);
      this.edit = { ...e, saving: false, error: message, attempt: conflict ? undefined : { key, request } };
      this.announcer.assertive(message);
      this.dispatchEvent(new MenteoErrorEvent('milestone-change', error));
      if (conflict) void this.loadTask.run();
    }
  }

  private onMilestoneKeydown(ev: KeyboardEvent, m: Milestone): void {
    if (!this.canEdit() || (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft')) return;
    ev.preventDefault();
    // Right is later in left-to-right layouts; in right-to-left ones the timeline is mirrored.
    const rtl = getComputedStyle(this).direction === 'rtl';
    const forward = (ev.key === 'ArrowRight') !== rtl;
    const step = (ev.shiftKey ? 7 : 1) * (forward ? 1 : -1);
    const from = this.edit?.moveOnly && this.edit.milestoneId === m.id ? this.edit.dueDate : m.dueDate;
    const to = addDays(from, step);
    if (this.edit?.moveOnly && this.edit.milestoneId === m.id) this.setEdit({ dueDate: to });
    else {
      this.startEdit(m, true, to);
      // Keep focus on the milestone while the reader keeps moving it; the reason field is next.
      void this.updateComplete.then(() => this.focusMilestone(m.id));
    }
    this.announcer.polite(msg(str`Due ${formatDate(to)}. Give a reason, then save.`));
  }

  private async loadRevisions(): Promise<void> {
    const client = this.session?.client;
    const roadmap = this.roadmap;
    if (client === undefined || roadmap === undefined) return;
    this.revisions = { status: 'loading', items: this.revisions?.items ?? [] };
    try {
      const items = await client.roadmaps.revisions.list(roadmap.id, { limit: 50 }).toArray(50);
      this.revisions = { status: 'ready', items };
    } catch (error) {
      this.revisions = { status: 'error', items: [], error };
    }
  }

  private toggleHistory(): void {
    this.historyOpen = !this.historyOpen;
    if (this.historyOpen && this.revisions?.status !== 'ready') void this.loadRevisions();
  }

  // ---- rendering --------------------------------------------------------------------------

  private renderHeader(r: Roadmap): TemplateResult {
    const total = r.milestones.length;
    const done = r.milestones.filter((m) => m.status === 'done').length;
    const counts = (['planned', 'in_progress', 'blocked', 'done'] as const).map((s) => ({
      s,
      n: r.milestones.filter((m) => m.status === s).length,
    }));
    const ratio = total === 0 ? 0 : done / total;
    return html`<header part="header" class="header">
      <div class="header__title">
        <h2>${r.title}</h2>
        ${r.goal ? html`<p class="goal">${r.goal}</p>` : nothing}
        <p class="owner">${avatar(r.owner, 'sm')} <span>${msg(str`Plan of ${r.owner.displayName}`)}</span></p>
      </div>
      <div class="summary">
        <p class="summary__headline">
          ${msg(str`${done} of ${total} milestones done`)} · <strong>${formatPercent(ratio)}</strong>
        </p>
        <progress part="progress" max=${Math.max(total, 1)} .value=${done} aria-label=${msg('Milestones done')}></progress>
        <ul class="counts">
          ${counts.map(({ s, n }) => html`<li>${statusIcon(s)} ${statusLabel(s)}: ${n}</li>`)}
        </ul>
      </div>
    </header>`;
  }

  private renderRisks(r: Roadmap): TemplateResult | typeof nothing {
    const now = new Date();
    const atRisk = r.milestones.map((m) => ({ m, risks: risksOf(m, this.today, now) })).filter((x) => x.risks.length > 0);
    if (atRisk.length === 0) return nothing;
    return html`<section part="risks" class="risks" aria-labelledby="${this.ids.details}-risks">
      <h3 id="${this.ids.details}-risks">${atRisk.length === 1 ? msg('1 milestone needs attention') : msg(str`${atRisk.length} milestones need attention`)}</h3>
      <ul>
        ${atRisk.map(
          ({ m, risks }) => html`<li>
            <button part="button" class="link-button" type="button" @click=${() => this.select(m.id)}>${m.title}</button>
            ${risks.map((k) => html`<span class="risk risk--${k}">${riskLabel(k)}</span>`)}
            <span class="muted">${msg(str`due ${formatDate(m.dueDate)}`)}</span>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private select(id: string): void {
    this.selectedId = this.selectedId === id ? undefined : id;
    if (this.edit && this.edit.milestoneId !== id) this.edit = undefined;
    if (this.selectedId) void this.loadEvidence(this.selectedId);
    void this.updateComplete.then(() => this.focusMilestone(id));
  }

  /** Loads the posts attached to a milestone as evidence (the five most recent ids). */
  private async loadEvidence(milestoneId: string): Promise<void> {
    const client = this.session?.client;
    const m = this.roadmap?.milestones.find((x) => x.id === milestoneId);
    if (client === undefined || m === undefined || m.evidencePostIds.length === 0 || this.evidence.has(milestoneId)) return;
    const set = (v: { status: 'loading' | 'ready' | 'error'; posts: Post[] }) => {
      this.evidence = new Map(this.evidence).set(milestoneId, v);
    };
    set({ status: 'loading', posts: [] });
    // A post the reader may not see (another room's audience) answers 404: skip it, show the rest.
    const results = await Promise.allSettled(m.evidencePostIds.slice(-5).map((id) => client.posts.get(id)));
    const posts = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    set({ status: posts.length === 0 && results.length > 0 ? 'error' : 'ready', posts });
  }

  private renderEvidence(m: Milestone): TemplateResult | typeof nothing {
    const ev = this.evidence.get(m.id);
    if (m.evidencePostIds.length === 0 || ev === undefined) return nothing;
    if (ev.status === 'loading') return loadingState(msg('Loading evidence…'));
    if (ev.status === 'error') return html`<p class="muted">${msg('The evidence posts are not visible to you.')}</p>`;
    return html`<ul class="evidence" aria-label=${msg('Evidence posts')}>
      ${ev.posts.map(
        (p) => html`<li>${avatar(p.author, 'sm')} <span><strong>${p.author.displayName}</strong> · ${relativeTime(p.createdAt)}</span>
          <span class="evidence__excerpt">${excerpt(p.body)}</span></li>`,
      )}
    </ul>`;
  }

  private renderTimeline(r: Roadmap): TemplateResult {
    const start = parseDateOnly(r.startDate).getTime();
    const span = Math.max(1, r.horizonDays) * DAY_MS;
    const end = addDays(r.startDate, r.horizonDays);
    const pos = (date: string) => Math.max(0, Math.min(1, (parseDateOnly(date).getTime() - start) / span));
    const todayPos = (parseDateOnly(this.today).getTime() - start) / span;
    const editing = this.edit?.moveOnly ? this.edit : undefined;
    // Lanes keep labels from overlapping: a milestone goes to the first lane whose last label
    // ends before it starts (labels are assumed ~22% of the track wide).
    const lanes: number[] = [];
    const placed = r.milestones.map((m) => {
      const due = editing?.milestoneId === m.id ? editing.dueDate : m.dueDate;
      const p = pos(due);
      let lane = lanes.findIndex((endPos) => endPos <= p);
      if (lane === -1) lane = lanes.length;
      lanes[lane] = p + 0.22;
      return { m, due, p, lane };
    });
    const now = new Date();
    return html`<div part="timeline" class="timeline" ${cssProps({ '--lanes': String(Math.max(1, lanes.length)) })}>
      <div class="axis" aria-hidden="true">
        <span>${formatDate(r.startDate)}</span><span>${formatDate(end)}</span>
      </div>
      ${todayPos >= 0 && todayPos <= 1
        ? html`<div part="today" class="today" ${cssProps({ '--pos': String(todayPos) })}>
            <span>${msg('Today')}</span>
          </div>`
        : nothing}
      <ol class="milestones" aria-label=${msg('Milestones by due date')}>
        ${placed.map(({ m, due, p, lane }) => {
          const risks = risksOf({ ...m, dueDate: due }, this.today, now);
          const selected = this.selectedId === m.id;
          return html`<li class="ms ms--${m.status} ${risks.length ? 'ms--risk' : ''}" ${cssProps({ '--pos': String(p), '--lane': String(lane) })}>
            <button
              part="milestone"
              class="ms__button"
              type="button"
              data-milestone=${m.id}
              aria-expanded=${selected ? 'true' : 'false'}
              aria-controls=${this.ids.details}
              aria-keyshortcuts=${this.canEdit() ? 'ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight' : nothing}
              @click=${() => this.select(m.id)}
              @keydown=${(e: KeyboardEvent) => this.onMilestoneKeydown(e, m)}
            >
              ${statusIcon(m.status)}
              <span class="ms__text">
                <span class="ms__title">${m.title}</span>
                <span class="ms__meta">${statusLabel(m.status)} · ${formatDate(due, undefined, 'short')}${risks.map((k) => html` · <span class="risk risk--${k}">${riskLabel(k)}</span>`)}</span>
              </span>
            </button>
          </li>`;
        })}
      </ol>
    </div>`;
  }

  private renderEditForm(e: Edit, m: Milestone | undefined): TemplateResult {
    const errId = `${this.ids.reason}-error`;
    // novalidate: our own checks run instead, with messages that say why and are announced.
    return html`<form class="edit" novalidate @submit=${this.saveEdit} @keydown=${(ev: KeyboardEvent) => ev.key === 'Escape' && this.cancelEdit()}>
      ${e.moveOnly && m
        ? html`<p>${msg(str`Move "${m.title}" from ${formatDate(m.dueDate)} to ${formatDate(e.dueDate)}.`)}</p>`
        : html`<div class="grid">
            <div class="field">
              <label for="${this.ids.details}-title">${msg('Title')}</label>
              <input id="${this.ids.details}-title" data-edit-first required maxlength="200" .value=${e.title} @input=${(ev: Event) => this.setEdit({ title: (ev.target as HTMLInputElement).value })} />
            </div>
            <div class="field">
              <label for="${this.ids.details}-due">${msg('Due date')}</label>
              <input id="${this.ids.details}-due" type="date" required .value=${e.dueDate} @input=${(ev: Event) => this.setEdit({ dueDate: (ev.target as HTMLInputElement).value })} />
            </div>
            <div class="field">
              <label for="${this.ids.details}-status">${msg('Status')}</label>
              <select id="${this.ids.details}-status" @change=${(ev: Event) => this.setEdit({ status: (ev.target as HTMLSelectElement).value as MilestoneStatus })}>
                ${(['planned', 'in_progress', 'done', 'blocked'] as const).map((s) => html`<option value=${s} ?selected=${s === e.status}>${statusLabel(s)}</option>`)}
              </select>
            </div>
            <div class="field field--wide">
              <label for="${this.ids.details}-outcome">${msg('Expected outcome')}</label>
              <textarea id="${this.ids.details}-outcome" rows="2" maxlength="2000" .value=${e.expectedOutcome} @input=${(ev: Event) => this.setEdit({ expectedOutcome: (ev.target as HTMLTextAreaElement).value })}></textarea>
            </div>
            <div class="field field--wide">
              <label for="${this.ids.details}-desc">${msg('Description')}</label>
              <textarea id="${this.ids.details}-desc" rows="2" maxlength="4000" .value=${e.description} @input=${(ev: Event) => this.setEdit({ description: (ev.target as HTMLTextAreaElement).value })}></textarea>
            </div>
          </div>`}
      <div class="field">
        <label for=${this.ids.reason}>${msg('Reason for this change')}</label>
        <textarea
          id=${this.ids.reason}
          rows="2"
          maxlength="500"
          required
          aria-describedby=${errId}
          aria-invalid=${e.error ? 'true' : 'false'}
          .value=${e.reason}
          @input=${(ev: Event) => this.setEdit({ reason: (ev.target as HTMLTextAreaElement).value })}
          @keydown=${(ev: KeyboardEvent) => {
            if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) void this.saveEdit(ev);
          }}
        ></textarea>
        <span id=${errId} class="error-text" role="alert">${e.error ?? nothing}</span>
      </div>
      <div class="actions">
        <button part="button" class="btn" type="button" @click=${this.cancelEdit}>${msg('Cancel')}</button>
        <button part="button save-button" class="btn btn--primary" type="submit" ?disabled=${e.saving}>${e.saving ? msg('Saving…') : msg('Save change')}</button>
      </div>
    </form>`;
  }

  private renderDetails(r: Roadmap): TemplateResult | typeof nothing {
    const e = this.edit;
    const m = r.milestones.find((x) => x.id === (e?.milestoneId ?? this.selectedId));
    if (e === undefined && m === undefined) return nothing;
    const heading = e && !e.milestoneId ? msg('New milestone') : (m?.title ?? '');
    return html`<section part="details" class="details" id=${this.ids.details} aria-labelledby="${this.ids.details}-h">
      <h3 id="${this.ids.details}-h">${heading}</h3>
      ${e
        ? this.renderEditForm(e, m)
        : m
          ? html`<dl class="facts">
                <div><dt>${msg('Status')}</dt><dd>${statusIcon(m.status)} ${statusLabel(m.status)}</dd></div>
                <div><dt>${msg('Due date')}</dt><dd>${formatDate(m.dueDate)}</dd></div>
                ${m.expectedOutcome ? html`<div><dt>${msg('Expected outcome')}</dt><dd>${m.expectedOutcome}</dd></div>` : nothing}
                ${m.requiredSkills.length ? html`<div><dt>${msg('Skills')}</dt><dd>${m.requiredSkills.join(', ')}</dd></div>` : nothing}
                <div><dt>${msg('Evidence')}</dt><dd>${m.evidencePostIds.length === 1 ? msg('1 post') : msg(str`${m.evidencePostIds.length} posts`)}</dd></div>
              </dl>
              ${m.description ? html`<p class="desc">${m.description}</p>` : nothing} ${this.renderEvidence(m)}
              ${this.canEdit()
                ? html`<div class="actions">
                    <button part="button edit-button" class="btn" type="button" @click=${() => this.startEdit(m)}>${msg('Edit milestone')}</button>
                  </div>`
                : nothing}`
          : nothing}
    </section>`;
  }

  private renderHistory(): TemplateResult | typeof nothing {
    if (!this.historyOpen) return nothing;
    const rev = this.revisions;
    return html`<section part="history" class="history" id=${this.ids.history} aria-label=${msg('Revision history')}>
      <h3>${msg('Revision history')}</h3>
      ${rev === undefined || (rev.status === 'loading' && rev.items.length === 0)
        ? loadingState(msg('Loading history…'))
        : rev.status === 'error'
          ? errorState(describeError(rev.error), () => void this.loadRevisions())
          : html`<ol class="revisions">
              ${rev.items.map(
                (v) => html`<li>
                  <div class="rev__meta">${avatar(v.author, 'sm')} <strong>${v.author.displayName}</strong> · ${relativeTime(v.createdAt)}</div>
                  <p class="rev__reason">${v.reason || msg('Roadmap created')}</p>
                  ${v.changes.length
                    ? html`<ul class="rev__changes">
                        ${v.changes.map((c) => html`<li><span class="field-name">${c.field}</span>: ${fmt(c.from)} → ${fmt(c.to)}</li>`)}
                      </ul>`
                    : nothing}
                </li>`,
              )}
            </ol>`}
    </section>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate() ?? this.renderAccessLoss(this.live.lost, msg('You no longer have access to this roadmap.'));
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => (this.roadmap ? this.renderRoadmap(this.roadmap) : loadingState()),
        complete: () => {
          const r = this.roadmap;
          stateName = r && r.milestones.length > 0 ? 'ready' : 'empty';
          return r ? this.renderRoadmap(r) : emptyState(msg('No roadmap yet'), msg('When the room starts a roadmap, its milestones appear here.'));
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`${body}${this.announcer.render()}`;
  }

  private renderRoadmap(r: Roadmap): TemplateResult {
    return html`${this.renderHeader(r)} ${this.renderRisks(r)}
      ${r.milestones.length === 0 ? emptyState(msg('No milestones yet'), this.canEdit() ? msg('Add the first milestone to plan the way to the goal.') : undefined) : this.renderTimeline(r)}
      <div class="toolbar">
        ${this.canEdit()
          ? html`<button part="button add-button" class="btn" type="button" @click=${() => this.startEdit(undefined)}>${msg('Add milestone')}</button>`
          : nothing}
        <button part="button history-button" class="btn btn--ghost" type="button" aria-expanded=${this.historyOpen ? 'true' : 'false'} aria-controls=${this.ids.history} @click=${this.toggleHistory}>
          ${msg('Revision history')}
        </button>
      </div>
      ${this.renderDetails(r)} ${this.renderHistory()}`;
  }
}

function sortByDue(ms: Milestone[]): Milestone[] {
  return [...ms].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

/** Only the fields that changed, so the revision records exactly what the person changed. */
function diff(m: Milestone, patch: Pick<Milestone, 'title' | 'description' | 'dueDate' | 'expectedOutcome' | 'status'>) {
  const out: Partial<typeof patch> = {};
  for (const k of ['title', 'description', 'dueDate', 'expectedOutcome', 'status'] as const) {
    if (patch[k] !== m[k]) (out as Record<string, string>)[k] = patch[k];
  }
  return out;
}

/** The first words of a post, as plain text (markdown markers dropped), for a one-line preview. */
function excerpt(body: string, max = 140): string {
  const plain = body.replace(/[*_`>#[\]()]/g, '').replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

function fmt(v: string | number | string[] | null): string {
  if (v === null) return '—';
  if (Array.isArray(v)) return v.join(', ') || '—';
  return String(v);
}
