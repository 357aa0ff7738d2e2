import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { AttentionFinding } from '@menteo/api/attention';
import type { MentoredRoom, MentoringOverview } from '@menteo/api/mentoring';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { describeError } from '../internal/errors.js';
import { formatDate, relativeTime } from '../internal/format.js';
import { avatar, emptyState, errorState, loadingState } from '../internal/parts.js';
import { safeUrl } from '../internal/markdown.js';
import { mentorOverviewStyles } from './mentor-overview.styles.js';

/** The host's link for a room: a path on the host page, or an absolute http(s) URL; nothing else. */
function roomLink(template: string, roomId: string): string | undefined {
  const raw = template.replaceAll('{roomId}', encodeURIComponent(roomId)).trim();
  return /^\/(?!\/)/.test(raw) ? raw : safeUrl(raw);
}

/** A finding as a sentence in the reader's language, built from its code and numbers. */
export function findingText(f: AttentionFinding, names: ReadonlyMap<string, string>): string {
  const who = (f.personId && names.get(f.personId)) || msg('A mentee');
  const days = f.days ?? 0;
  switch (f.code) {
    case 'milestone_overdue':
      return msg(str`A milestone is ${days} days past its due date: move, re-scope or drop it.`);
    case 'milestone_blocked':
      return msg(str`A milestone has been blocked for ${days} days.`);
    case 'check_ins_stopped':
      return msg(str`${who} has not checked in for ${days} days.`);
    case 'confidence_falling':
      return msg(str`${who}'s confidence is falling (${f.confidences.join(' → ')}).`);
  }
}

/**
 * A mentor's view of every room they mentor in: for each, what needs attention and why
 * (the server's attention rules), mentees' posts and questions no mentor has answered, the last
 * check-in and overdue action items. Rooms needing the most attention come first.
 *
 * @summary A mentor's overview of their rooms and what needs a response.
 * @tag menteo-mentor-overview
 *
 * @csspart room - One room's card.
 * @csspart link - The link to a room (with `room-href`).
 * @csspart state - Loading, empty and error states.
 *
 * @cssstate loading - Loading.
 * @cssstate empty - The reader mentors no active room.
 * @cssstate error - The overview could not load.
 *
 * @fires {MenteoErrorEvent} menteo-error - Loading failed.
 */
export class MenteoMentorOverview extends MenteoWidget {
  static override styles = [MenteoElement.styles, mentorOverviewStyles];

  /**
   * Where each room's title links to: a URL in which `{roomId}` is replaced by the room's id
   * (e.g. `/rooms/{roomId}`). Without it the titles are plain text.
   */
  @property({ attribute: 'room-href' }) roomHref: string | undefined = undefined;

  /** Heading; defaults to "Your mentees". */
  @property() heading: string | undefined = undefined;

  @state() private overview: MentoringOverview | undefined;

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client] as const,
    task: async ([client], { signal }) => {
      if (client === undefined) return initialState;
      const overview = await client.mentoring.overview({ signal }).then(undefined, (e: unknown) => this.reportLoadError(e));
      this.overview = overview;
      return overview.rooms.length;
    },
  });

  /** Loads the overview again (e.g. after the host learns of a change). */
  refresh(): void {
    void this.loadTask.run();
  }

  private renderRoom(r: MentoredRoom): TemplateResult {
    const names = new Map(r.mentees.map((p) => [p.id, p.displayName]));
    const needs = r.attention.length + r.unansweredCount + r.overdueActionItems.length;
    const href = this.roomHref ? roomLink(this.roomHref, r.roomId) : undefined;
    const questions = r.unanswered.filter((p) => p.question).length;
    return html`<li part="room" class="room ${needs ? 'room--attention' : 'room--calm'}">
      <div class="title-row">
        <h3>${href ? html`<a part="link" href=${href}>${r.title}</a>` : r.title}</h3>
      </div>
      <ul class="mentees" aria-label=${msg('Mentees')}>
        ${r.mentees.map((p) => html`<li>${avatar(p, 'sm')}<span>${p.displayName}</span></li>`)}
      </ul>
      <p class="summary ${needs ? 'summary--attention' : 'summary--calm'}">
        ${needs ? msg(str`Needs attention: ${needs} ${needs === 1 ? msg('thing') : msg('things')}`) : msg('Nothing needs attention')}
      </p>
      ${r.attention.length
        ? html`<h4>${msg('Why')}</h4>
            <ul class="items">${r.attention.map((f) => html`<li>${findingText(f, names)}</li>`)}</ul>`
        : nothing}
      ${r.unansweredCount
        ? html`<h4>${questions ? msg(str`Unanswered posts: ${r.unansweredCount}, of which ${questions} questions`) : msg(str`Unanswered posts: ${r.unansweredCount}`)}</h4>
            <ul class="items">
              ${r.unanswered.map(
                (p) => html`<li>
                  <strong>${p.author.displayName}</strong>${p.question ? html`<span class="badge">${msg('Question')}</span>` : nothing}:
                  ${p.excerpt} <span class="muted">(${relativeTime(p.createdAt)})</span>
                </li>`,
              )}
            </ul>`
        : nothing}
      ${r.overdueActionItems.length
        ? html`<h4>${msg(str`Overdue action items: ${r.overdueActionItems.length}`)}</h4>
            <ul class="items">
              ${r.overdueActionItems.map(
                (o) => html`<li>${o.item.text} <span class="muted">${msg(str`due ${formatDate(o.item.dueDate ?? o.sessionDate)}, ${o.daysOverdue} days ago`)}</span></li>`,
              )}
            </ul>`
        : nothing}
      <p class="muted">
        ${r.lastCheckIn
          ? html`${msg(str`Last check-in: ${r.lastCheckIn.author.displayName}, confidence ${r.lastCheckIn.confidence} of 5,`)} ${relativeTime(r.lastCheckIn.createdAt)}`
          : msg('No check-in yet')}
      </p>
    </li>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate();
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => loadingState(),
        complete: () => {
          const rooms = this.overview?.rooms ?? [];
          stateName = rooms.length ? 'ready' : 'empty';
          return rooms.length
            ? html`<ul class="rooms" aria-label=${msg('Rooms you mentor in, most in need of attention first')}>${rooms.map((r) => this.renderRoom(r))}</ul>`
            : emptyState(msg('You do not mentor anyone yet'));
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${this.heading ?? msg('Your mentees')}</h2>${body}${this.announcer.render()}`;
  }
}
