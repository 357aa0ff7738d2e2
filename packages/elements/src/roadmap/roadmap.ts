import { html, nothing, svg, type TemplateResult } from 'lit';
import { cssProps } from '../internal/css-props.js';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { AddMilestone, Milestone, MilestoneStatus, Revision, Roadmap, UpdateMilestone } from '@menteo/api/roadmaps';
import type { Adjustment, AttentionFinding, RoomAttention } from '@menteo/api/attention';
import type { Post } from '@menteo/api/threads';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { can } from '../internal/session-consumer.js';
import type { EventPosition } from '@menteo/client';
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
/**
 * A milestone card's width on the wide timeline, as a share of the track (the CSS reads it as
 * `--span`): lanes are assigned with it, so it must be the width the card is drawn at. Below
 * 36rem the timeline is a list and lanes do not apply.
 */
const CARD_SPAN = 0.22;
/** Room between two cards of a lane, as a share of the track: rounding never makes them touch. */
const CARD_GAP = 0.01;

/** Why a milestone needs attention. */
export type Risk = 'overdue' | 'blocked' | 'stalled';

/**
 * The risks of a milestone on `today` (`YYYY-MM-DD`), computed locally. The element uses them only
 * when the server's attention rules (`GET /v1/rooms/{roomId}/attention`) cannot answer; those
 * rules are the reference. Exported for tests and hosts.
 */
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

/**
 * What an open form changes: everything (`full`), only the due date (`move`), what the milestone
 * asks for (`rescope`: title, outcome, skills, description), or nothing but its existence
 * (`remove`). The last three are also the adjustments the attention callout offers.
 */
type EditKind = 'full' | 'move' | 'rescope' | 'remove';

interface Edit {
  kind: EditKind;
  milestoneId: string | undefined;
  title: string;
  description: string;
  dueDate: string;
  expectedOutcome: string;
  /** As typed: comma-separated. */
  skills: string;
  status: MilestoneStatus;
  reason: string;
  saving: boolean;
  error: string | undefined;
  /** A move made with the arrow keys: focus stays on the milestone while it moves. */
  byKeyboard: boolean;
  /** Where focus goes back on cancel (a selector in the shadow root); the milestone otherwise. */
  returnFocus?: string | undefined;
  /**
   * The last attempt's request and idempotency key: retrying the same change reuses the key, so a
   * save whose answer was lost is answered from the server's record instead of a 409 conflict.
   */
  attempt?: { key: string; request: string } | undefined;
}

/**
 * A roadmap as a timeline over its horizon: milestones placed by due date, a today marker and
 * "Day N of 90", status told by text, shape and colour, a progress summary, each milestone's
 * skills and evidence (the posts that name it), and what needs attention by the server's rules
 * (overdue or long-blocked milestones, stopped check-ins, falling confidence) with why and the
 * adjustment it calls for: move, re-scope or drop a milestone. People allowed to edit can add,
 * edit and remove milestones, change their status and move due dates, with the mouse or the
 * keyboard (← / → move the focused milestone a day, with Shift a week); every change asks for a
 * reason kept in the revision history, which is one click away.
 *
 * @summary Roadmap timeline with progress, risks, reasoned edits and revision history.
 * @tag menteo-roadmap
 *
 * @csspart header - Title, goal, owner and the progress summary.
 * @csspart progress - The progress bar.
 * @csspart day - "Day N of 90": where today falls in the horizon.
 * @csspart risks - The "needs attention" callout.
 * @csspart adjust-button - An adjustment offered by the callout (move, re-scope, drop).
 * @csspart remove-button - "Remove milestone" in the details.
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
 * @cssprop --menteo-color-danger - Colour of blocked and overdue milestones, and of the remove confirmation.
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

  /**
   * Where an evidence post lives on the host's pages (JavaScript property only): each evidence
   * post becomes a link to it. Without it, evidence posts are listed without links.
   */
  @property({ attribute: false }) postHref: ((post: Post) => string | undefined) | undefined = undefined;

  @state() private roadmap: Roadmap | undefined;
  @state() private selectedId: string | undefined;
  @state() private edit: Edit | undefined;
  @state() private historyOpen = false;
  @state() private revisions: { status: 'loading' | 'ready' | 'error'; items: Revision[]; error?: unknown } | undefined;
  @state() private today = todayDateOnly();
  /** The server's attention rules for the roadmap's room; `undefined` until (or unless) they answer. */
  @state() private attention: RoomAttention | undefined;
  /** The milestone picked for a room finding's adjustment (check-ins, confidence), by finding index. */
  @state() private adjustTarget = new Map<number, string>();
  /** Evidence posts by milestone, loaded when a milestone is opened. */
  @state() private evidence = new Map<string, { status: 'loading' | 'ready' | 'error'; posts: Post[] }>();

  private readonly ids = { details: uniqueId('details'), history: uniqueId('history'), reason: uniqueId('reason') };
  /** Where the last load stands in the event log: the live subscription starts there. */
  private loadedAt: EventPosition | undefined;
  private readonly live = new LiveController(this, {
    client: () => this.session?.client,
    session: () => this.session,
    target: () => this.roadmap?.roomId ?? '',
    position: () => this.loadedAt,
    open: (client, options) => {
      const sub = client.events.room(this.roadmap?.roomId ?? '', options);
      sub.on('roadmap.updated', (e) => {
        // An equal version is news too: evidence is derived from the posts' own links, so linking
        // a post changes the evidence without bumping the roadmap's version. Only older ones go.
        if (e.data.id !== this.roadmap?.id || e.data.version < (this.roadmap?.version ?? 0)) return;
        this.roadmap = e.data;
        this.evidence = new Map();
        // The open milestone's evidence list follows (a post may just have been linked to it).
        if (this.selectedId) void this.loadEvidence(this.selectedId);
        if (this.historyOpen) void this.loadRevisions();
        void this.loadAttention();
        this.announcer.polite(msg('The roadmap was updated.'));
      });
      // A check-in changes what needs attention (stopped check-ins, falling confidence).
      sub.on('checkin.created', () => void this.loadAttention());
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
      const position = client.events.position();
      try {
        if (roadmapId) roadmap = await client.roadmaps.get(roadmapId, { signal, position });
        else roadmap = (await client.roadmaps.list({ roomId, limit: 1 }, { signal, position })).items[0];
      } catch (error) {
        this.reportLoadError(error);
      }
      this.loadedAt = position;
      // Findings of another room must not show over this roadmap; the same room's stay until the
      // rules answer again, so a reload does not swap the callout out from under the reader.
      if (this.attention?.roomId !== roadmap?.roomId) this.attention = undefined;
      this.roadmap = roadmap;
      this.revisions = undefined;
      void this.loadAttention();
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

  private startEdit(m: Milestone | undefined, kind: EditKind = 'full', options: { dueDate?: string; byKeyboard?: boolean; returnFocus?: string } = {}): void {
    // A draft belongs to one kind of form: a typed removal reason must not reappear as an edit's.
    const saved = this.draftFor(m?.id)?.load();
    const f = saved?.fields?.kind === kind ? saved.fields : {};
    this.edit = {
      kind,
      milestoneId: m?.id,
      title: f.title ?? m?.title ?? '',
      description: f.description ?? m?.description ?? '',
      dueDate: options.dueDate ?? f.dueDate ?? m?.dueDate ?? addDays(this.today, 14),
      expectedOutcome: f.expectedOutcome ?? m?.expectedOutcome ?? '',
      skills: f.skills ?? m?.requiredSkills.join(', ') ?? '',
      status: (f.status as MilestoneStatus | undefined) ?? m?.status ?? 'planned',
      reason: saved?.fields?.kind === kind ? (saved.text ?? '') : '',
      saving: false,
      error: undefined,
      byKeyboard: options.byKeyboard ?? false,
      returnFocus: options.returnFocus,
    };
    if (m) this.selectedId = m.id;
    void this.updateComplete.then(() => {
      const target = kind === 'remove' || (kind === 'move' && options.byKeyboard) ? `#${this.ids.reason}` : '[data-edit-first]';
      this.renderRoot.querySelector<HTMLElement>(target)?.focus();
    });
  }

  private setEdit(patch: Partial<Edit>): void {
    if (this.edit === undefined) return;
    this.edit = { ...this.edit, ...patch, error: undefined };
    const e = this.edit;
    this.draftFor(e.milestoneId)?.save(e.reason, {
      kind: e.kind,
      title: e.title,
      description: e.description,
      dueDate: e.dueDate,
      expectedOutcome: e.expectedOutcome,
      skills: e.skills,
      status: e.status,
    });
  }

  private cancelEdit(): void {
    if (this.edit === undefined) return;
    this.draftFor(this.edit.milestoneId)?.clear();
    const { milestoneId: id, returnFocus } = this.edit;
    this.edit = undefined;
    void this.updateComplete.then(() => {
      const back = returnFocus ? this.renderRoot.querySelector<HTMLElement>(returnFocus) : null;
      if (back) back.focus();
      else if (id) this.focusMilestone(id);
    });
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
    if ((e.kind === 'full' || e.kind === 'rescope') && e.title.trim() === '') {
      this.edit = { ...e, error: msg('A milestone needs a title.') };
      return;
    }
    const before = roadmap;
    const existing = roadmap.milestones.find((m) => m.id === e.milestoneId);
    const patch = {
      title: e.title.trim(),
      description: e.description,
      dueDate: e.dueDate,
      expectedOutcome: e.expectedOutcome,
      requiredSkills: parseSkills(e.skills),
      status: e.status,
    };
    const fields: Partial<typeof patch> =
      e.kind === 'move'
        ? { dueDate: e.dueDate }
        : e.kind === 'rescope'
          ? { title: patch.title, description: patch.description, expectedOutcome: patch.expectedOutcome, requiredSkills: patch.requiredSkills }
          : patch;
    // Optimistic: the timeline shows the change at once; a failure puts the old roadmap back.
    if (existing) {
      const milestones =
        e.kind === 'remove' ? roadmap.milestones.filter((m) => m.id !== existing.id) : sortByDue(roadmap.milestones.map((m) => (m.id === existing.id ? { ...existing, ...fields } : m)));
      this.roadmap = { ...roadmap, milestones };
    }
    const base = { reason, baseVersion: roadmap.version };
    const update: UpdateMilestone | undefined = existing && e.kind !== 'remove' ? { ...base, ...diff(existing, fields) } : undefined;
    const { requiredSkills, ...rest } = patch;
    // A new milestone's skills are sent only when given.
    const add: AddMilestone = { ...base, milestone: { ...rest, ...(requiredSkills.length ? { requiredSkills } : {}) } };
    const body = existing ? (e.kind === 'remove' ? base : update) : add;
    const request = JSON.stringify([roadmap.id, existing?.id, e.kind, body]);
    const key = e.attempt?.request === request ? e.attempt.key : newIdempotencyKey();
    this.edit = { ...e, saving: true, error: undefined, attempt: { key, request } };
    try {
      let updated: Roadmap;
      if (existing && e.kind === 'remove') updated = await client.roadmaps.milestones.remove(roadmap.id, existing.id, base, { idempotencyKey: key });
      else if (existing && update) updated = await client.roadmaps.milestones.update(roadmap.id, existing.id, update, { idempotencyKey: key });
      else updated = await client.roadmaps.milestones.add(roadmap.id, add, { idempotencyKey: key });
      this.roadmap = updated;
      this.evidence = new Map();
      this.draftFor(e.milestoneId)?.clear();
      this.edit = undefined;
      if (this.historyOpen) void this.loadRevisions();
      void this.loadAttention();
      if (existing && e.kind === 'remove') {
        this.selectedId = undefined;
        this.announcer.polite(msg(str`"${existing.title}" removed. The reason is kept in the history.`));
        this.dispatchEvent(new MenteoMilestoneChangeEvent(updated, undefined, reason));
        // Focus goes where the removed milestone was: the next one by due date, else the last, else "Add".
        const index = before.milestones.findIndex((m) => m.id === existing.id);
        const next = updated.milestones[Math.min(index, updated.milestones.length - 1)];
        void this.updateComplete.then(() => (next ? this.focusMilestone(next.id) : this.renderRoot.querySelector<HTMLElement>('[part~=add-button]')?.focus()));
        return;
      }
      const milestone = existing
        ? updated.milestones.find((m) => m.id === existing.id)
        : updated.milestones.find((m) => !roadmap.milestones.some((old) => old.id === m.id));
      if (milestone) this.selectedId = milestone.id;
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
    const moving = this.edit?.kind === 'move' && this.edit.milestoneId === m.id;
    const from = moving && this.edit ? this.edit.dueDate : m.dueDate;
    const to = addDays(from, step);
    if (moving) this.setEdit({ dueDate: to });
    else {
      this.startEdit(m, 'move', { dueDate: to, byKeyboard: true });
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

  /** Asks the server's attention rules about the roadmap's room; an older server without them leaves the local risks. */
  private async loadAttention(): Promise<void> {
    const client = this.session?.client;
    const roomId = this.roadmap?.roomId;
    if (client?.attention === undefined || roomId === undefined) return;
    try {
      const attention = await client.attention.room(roomId);
      if (attention.roomId === this.roadmap?.roomId) this.attention = attention;
    } catch {
      this.attention = undefined;
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
        <p part="day" class="day">${this.dayText(r)}</p>
        <ul class="counts">
          ${counts.map(({ s, n }) => html`<li>${statusIcon(s)} ${statusLabel(s)}: ${n}</li>`)}
        </ul>
      </div>
    </header>`;
  }

  /**
   * The badges of a milestone on the timeline. With the server's rules loaded they agree with the
   * callout (blocked only once the rule's days have passed; no local "stalled"); overdue is
   * computed here too so a date being moved shows its effect before it is saved.
   */
  private risksFor(m: Milestone, now: Date): Risk[] {
    const attention = this.attention;
    if (attention === undefined) return risksOf(m, this.today, now);
    const out: Risk[] = [];
    if (m.status !== 'done' && m.dueDate < this.today) out.push('overdue');
    if (attention.findings.some((f) => f.milestoneId === m.id && f.code === 'milestone_blocked')) out.push('blocked');
    return out;
  }

  /** "Day 31 of 90": where today falls in the roadmap's horizon. */
  private dayText(r: Roadmap): string {
    const day = Math.round((parseDateOnly(this.today).getTime() - parseDateOnly(r.startDate).getTime()) / DAY_MS) + 1;
    if (day < 1) return 1 - day === 1 ? msg('Starts tomorrow') : msg(str`Starts in ${1 - day} days`);
    if (day > r.horizonDays) return msg(str`Horizon of ${r.horizonDays} days ended ${formatDate(addDays(r.startDate, r.horizonDays))}`);
    return msg(str`Day ${day} of ${r.horizonDays}`);
  }

  /** The finding as a sentence in the reader's language (the server's `reason` is English only). */
  private findingText(f: AttentionFinding, r: Roadmap): string {
    const title = r.milestones.find((m) => m.id === f.milestoneId)?.title ?? '';
    const who = f.personId === r.owner.id ? r.owner.displayName : msg('The mentee');
    const days = f.days ?? 0;
    switch (f.code) {
      case 'milestone_overdue':
        return days === 1
          ? msg(str`"${title}" is 1 day past its due date, neither done nor moved.`)
          : msg(str`"${title}" is ${days} days past its due date, neither done nor moved.`);
      case 'milestone_blocked':
        return msg(str`"${title}" has been blocked for ${days} days.`);
      case 'check_ins_stopped':
        return msg(str`No check-in from ${who} for ${days} days.`);
      case 'confidence_falling':
        return msg(str`${who}'s confidence is falling across check-ins: ${f.confidences.join(' → ')}.`);
    }
  }

  private adjustLabel(a: Adjustment): string {
    return a === 'move' ? msg('Move the due date') : a === 'rescope' ? msg('Re-scope') : msg('Drop');
  }

  /** Opens the form of an adjustment for one milestone; cancelling returns focus to the offer. */
  private adjust(a: Adjustment, milestoneId: string | undefined, returnFocus: string): void {
    const m = this.roadmap?.milestones.find((x) => x.id === milestoneId);
    if (m === undefined) return;
    this.startEdit(m, a === 'move' ? 'move' : a === 'rescope' ? 'rescope' : 'remove', { returnFocus });
  }

  /**
   * The server's findings for the room, each with why and the adjustments offered. A milestone
   * finding adjusts its milestone; a room finding (check-ins, confidence) one the reader picks.
   */
  private renderAttention(r: Roadmap, attention: RoomAttention): TemplateResult | typeof nothing {
    const findings = attention.findings.filter((f) => f.milestoneId === null || r.milestones.some((m) => m.id === f.milestoneId));
    if (findings.length === 0) return nothing;
    const open = r.milestones.filter((m) => m.status !== 'done');
    const edit = this.canEdit();
    const h = `${this.ids.details}-risks`;
    return html`<section part="risks" class="risks" aria-labelledby=${h}>
      <h3 id=${h}>${findings.length === 1 ? msg('1 thing needs attention') : msg(str`${findings.length} things need attention`)}</h3>
      <ul>
        ${findings.map((f, i) => {
          const why = `${h}-${i}`;
          const picked = f.milestoneId ?? this.adjustTarget.get(i) ?? open[0]?.id;
          const offers = edit && open.length > 0 ? f.adjustments : [];
          return html`<li class="finding finding--${f.code}" data-finding=${f.code}>
            <p id=${why}>${this.findingText(f, r)}</p>
            ${offers.length
              ? html`<div class="offer" role="group" aria-label=${msg('Adjust the roadmap')}>
                  ${f.milestoneId === null
                    ? html`<label class="offer__pick"><span>${msg('Milestone')}</span>
                        <select data-adjust-pick=${i} @change=${(ev: Event) => (this.adjustTarget = new Map(this.adjustTarget).set(i, (ev.target as HTMLSelectElement).value))}>
                          ${open.map((m) => html`<option value=${m.id} ?selected=${m.id === picked}>${m.title}</option>`)}
                        </select></label>`
                    : nothing}
                  ${offers.map(
                    (a) => html`<button part="button adjust-button" class="btn btn--small" type="button" data-adjust="${i}-${a}" aria-describedby=${why}
                      @click=${() => this.adjust(a, f.milestoneId ?? this.adjustTarget.get(i) ?? open[0]?.id, `[data-adjust="${i}-${a}"]`)}>${this.adjustLabel(a)}</button>`,
                  )}
                </div>`
              : nothing}
          </li>`;
        })}
      </ul>
    </section>`;
  }

  private renderRisks(r: Roadmap): TemplateResult | typeof nothing {
    if (this.attention) return this.renderAttention(r, this.attention);
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

  /**
   * Loads a milestone's evidence: the posts whose `milestoneId` names it (the one stored link),
   * newest first, the five most recent. Posts the reader may not see are not listed.
   */
  private async loadEvidence(milestoneId: string): Promise<void> {
    const client = this.session?.client;
    const m = this.roadmap?.milestones.find((x) => x.id === milestoneId);
    if (client === undefined || m === undefined || evidenceCount(m) === 0 || this.evidence.has(milestoneId)) return;
    const set = (v: { status: 'loading' | 'ready' | 'error'; posts: Post[] }) => {
      this.evidence = new Map(this.evidence).set(milestoneId, v);
    };
    set({ status: 'loading', posts: [] });
    try {
      const posts = await client.posts.list({ milestoneId, limit: 5 }).toArray(5);
      set({ status: posts.length === 0 ? 'error' : 'ready', posts });
    } catch {
      set({ status: 'error', posts: [] });
    }
  }

  private renderEvidence(m: Milestone): TemplateResult | typeof nothing {
    const ev = this.evidence.get(m.id);
    if (evidenceCount(m) === 0 || ev === undefined) return nothing;
    if (ev.status === 'loading') return loadingState(msg('Loading evidence…'));
    if (ev.status === 'error') return html`<p class="muted">${msg('The evidence posts are not visible to you.')}</p>`;
    return html`<ul class="evidence" aria-label=${msg('Evidence posts')}>
      ${ev.posts.map((p) => {
        const href = this.postHref?.(p);
        const text = excerpt(p.body);
        return html`<li>${avatar(p.author, 'sm')} <span><strong>${p.author.displayName}</strong> · ${relativeTime(p.createdAt)}</span>
          ${href ? html`<a class="evidence__excerpt" href=${href}>${text}</a>` : html`<span class="evidence__excerpt">${text}</span>`}</li>`;
      })}
    </ul>`;
  }

  private renderTimeline(r: Roadmap): TemplateResult {
    const start = parseDateOnly(r.startDate).getTime();
    const span = Math.max(1, r.horizonDays) * DAY_MS;
    const end = addDays(r.startDate, r.horizonDays);
    const pos = (date: string) => Math.max(0, Math.min(1, (parseDateOnly(date).getTime() - start) / span));
    const todayPos = (parseDateOnly(this.today).getTime() - start) / span;
    const editing = this.edit?.kind === 'move' ? this.edit : undefined;
    // Lanes keep cards from overlapping: a card goes to the first lane whose last card ends
    // before it starts. Lanes count with where the card is drawn, not where its date falls: a
    // card due near the horizon's end (or after it) is drawn ending at the track's end, further
    // back than its date, so counting with its date let it land on an earlier card.
    // Keyboard order is date order: by the saved date, so a card moved with the arrow keys keeps
    // its place (and focus) until the move is saved.
    const lanes: number[] = [];
    const placed = sortByDue(r.milestones).map((m) => {
      const due = editing?.milestoneId === m.id ? editing.dueDate : m.dueDate;
      const start = Math.min(pos(due), 1 - CARD_SPAN);
      let lane = lanes.findIndex((end) => end + CARD_GAP <= start);
      if (lane === -1) lane = lanes.length;
      lanes[lane] = start + CARD_SPAN;
      return { m, due, start, lane };
    });
    const now = new Date();
    return html`<div part="timeline" class="timeline">
      <div class="axis" aria-hidden="true">
        <span>${formatDate(r.startDate)}</span><span>${formatDate(end)}</span>
      </div>
      ${todayPos >= 0 && todayPos <= 1
        ? html`<div part="today" class="today" ${cssProps({ '--pos': String(todayPos) })}>
            <span>${msg('Today')}</span>
          </div>`
        : nothing}
      <ol class="milestones" aria-label=${msg('Milestones by due date')}>
        ${placed.map(({ m, due, start, lane }) => {
          const risks = this.risksFor({ ...m, dueDate: due }, now);
          const selected = this.selectedId === m.id;
          return html`<li class="ms ms--${m.status} ${risks.length ? 'ms--risk' : ''}" ${cssProps({ '--pos': String(start), '--span': String(CARD_SPAN), '--row': String(lane + 1) })}>
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
    const id = (name: string) => `${this.ids.details}-${name}`;
    const input = (k: 'title' | 'dueDate' | 'skills') => (ev: Event) => this.setEdit({ [k]: (ev.target as HTMLInputElement).value });
    const area = (k: 'expectedOutcome' | 'description') => (ev: Event) => this.setEdit({ [k]: (ev.target as HTMLTextAreaElement).value });
    const title = html`<div class="field">
      <label for=${id('title')}>${msg('Title')}</label>
      <input id=${id('title')} data-edit-first required maxlength="200" .value=${e.title} @input=${input('title')} />
    </div>`;
    const skills = html`<div class="field">
      <label for=${id('skills')}>${msg('Skills needed')}</label>
      <input id=${id('skills')} name="skills" maxlength="1000" aria-describedby=${id('skills-hint')} .value=${e.skills} @input=${input('skills')} />
      <span id=${id('skills-hint')} class="hint">${msg('Separate skills with commas, such as system-design, code-review.')}</span>
    </div>`;
    const outcome = html`<div class="field field--wide">
      <label for=${id('outcome')}>${msg('Expected outcome')}</label>
      <textarea id=${id('outcome')} rows="2" maxlength="2000" .value=${e.expectedOutcome} @input=${area('expectedOutcome')}></textarea>
    </div>`;
    const description = html`<div class="field field--wide">
      <label for=${id('desc')}>${msg('Description')}</label>
      <textarea id=${id('desc')} rows="2" maxlength="4000" .value=${e.description} @input=${area('description')}></textarea>
    </div>`;
    const due = (label: string, first: boolean) => html`<div class="field">
      <label for=${id('due')}>${label}</label>
      <input id=${id('due')} type="date" required ?data-edit-first=${first} .value=${e.dueDate} @input=${input('dueDate')} />
    </div>`;
    let fields: TemplateResult;
    switch (e.kind) {
      case 'remove':
        fields = html`<p>${msg(str`Remove "${m?.title ?? ''}" from the roadmap? Its evidence posts stay in the thread.`)}</p>`;
        break;
      case 'move':
        fields = html`${m ? html`<p>${msg(str`Move "${m.title}" from ${formatDate(m.dueDate)} to ${formatDate(e.dueDate)}.`)}</p>` : nothing}
          <div class="grid">${due(msg('New due date'), !e.byKeyboard)}</div>`;
        break;
      case 'rescope':
        fields = html`<div class="grid">${title} ${skills} ${outcome} ${description}</div>`;
        break;
      case 'full':
        fields = html`<div class="grid">
          ${title} ${due(msg('Due date'), false)}
          <div class="field">
            <label for=${id('status')}>${msg('Status')}</label>
            <select id=${id('status')} @change=${(ev: Event) => this.setEdit({ status: (ev.target as HTMLSelectElement).value as MilestoneStatus })}>
              ${(['planned', 'in_progress', 'done', 'blocked'] as const).map((s) => html`<option value=${s} ?selected=${s === e.status}>${statusLabel(s)}</option>`)}
            </select>
          </div>
          ${skills} ${outcome} ${description}
        </div>`;
        break;
    }
    const submit = e.kind === 'remove' ? (e.saving ? msg('Removing…') : msg('Remove milestone')) : e.saving ? msg('Saving…') : msg('Save change');
    // novalidate: our own checks run instead, with messages that say why and are announced.
    return html`<form class=${e.kind === 'remove' ? 'edit remove' : 'edit'} novalidate aria-label=${e.kind === 'remove' ? msg('Remove milestone') : nothing}
      @submit=${this.saveEdit} @keydown=${(ev: KeyboardEvent) => ev.key === 'Escape' && this.cancelEdit()}>
      ${fields}
      <div class="field">
        <label for=${this.ids.reason}>${e.kind === 'remove' ? msg('Reason for removing it') : msg('Reason for this change')}</label>
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
        <button part="button save-button" class=${e.kind === 'remove' ? 'btn btn--danger' : 'btn btn--primary'} type="submit" ?disabled=${e.saving}>${submit}</button>
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
                <div><dt>${msg('Evidence')}</dt><dd>${evidenceCount(m) === 1 ? msg('1 post') : msg(str`${evidenceCount(m)} posts`)}</dd></div>
              </dl>
              ${m.description ? html`<p class="desc">${m.description}</p>` : nothing} ${this.renderEvidence(m)}
              ${this.canEdit()
                ? html`<div class="actions">
                    <button part="button edit-button" class="btn" type="button" @click=${() => this.startEdit(m)}>${msg('Edit milestone')}</button>
                    <button part="button remove-button" class="btn" type="button" @click=${() => this.startEdit(m, 'remove', { returnFocus: '[part~=remove-button]' })}>${msg('Remove milestone')}</button>
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
                  ${v.kind === 'milestone_removed' ? html`<p class="rev__kind">${msg('Milestone removed')}</p>` : nothing}
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

type MilestoneFields = Pick<Milestone, 'title' | 'description' | 'dueDate' | 'expectedOutcome' | 'requiredSkills' | 'status'>;

/** Only the fields that changed, so the revision records exactly what the person changed. */
function diff(m: Milestone, patch: Partial<MilestoneFields>): Partial<MilestoneFields> {
  const out: Partial<MilestoneFields> = {};
  for (const k of ['title', 'description', 'dueDate', 'expectedOutcome', 'status'] as const) {
    const v = patch[k];
    if (v !== undefined && v !== m[k]) (out as Record<string, string>)[k] = v;
  }
  if (patch.requiredSkills !== undefined && patch.requiredSkills.join('\n') !== m.requiredSkills.join('\n')) out.requiredSkills = patch.requiredSkills;
  return out;
}

/**
 * Skills as typed ("Code review, system-design,") to the slugs the API takes ("code-review",
 * "system-design"): lowercase, spaces as hyphens, no empties, no repeats.
 */
function parseSkills(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim().toLowerCase().replace(/\s+/g, '-')).filter((s) => s !== ''))];
}

/** How many posts are evidence for the milestone (a server without `evidenceCount` sends the ids only). */
function evidenceCount(m: Milestone): number {
  return (m as Partial<Pick<Milestone, 'evidenceCount'>>).evidenceCount ?? m.evidencePostIds.length;
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
