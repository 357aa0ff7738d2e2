import { html, nothing, svg, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { CheckIn, TrendPoint } from '@menteo/api/feedback';
import type { EventPosition, LiveSubscription } from '@menteo/client';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { LiveController } from '../internal/live-controller.js';
import { describeError } from '../internal/errors.js';
import { relativeTime } from '../internal/format.js';
import { avatar, emptyState, errorState, loadingState } from '../internal/parts.js';
import { uniqueId } from '../internal/ids.js';
import { BOX, direction, seriesOf, xOf, yOf, type Series } from './trend.js';
import { checkInHistoryStyles } from './check-in-history.styles.js';

function confidenceWord(c: number): string {
  return [msg('Not at all'), msg('A little'), msg('Somewhat'), msg('Quite'), msg('Very')][c - 1] ?? String(c);
}

/** "2 of 5 milestones done" for a check-in, when its author has a roadmap in the room. */
function progressText(p: TrendPoint | undefined): string | undefined {
  return p && p.milestonesTotal > 0 ? msg(str`${p.milestonesDone} of ${p.milestonesTotal} milestones done`) : undefined;
}

function progressSentence(s: Series, points: ReadonlyMap<string, TrendPoint>): string {
  const first = points.get(s.points[0]?.id ?? '');
  const last = points.get(s.points[s.points.length - 1]?.id ?? '');
  if (!first || !last || last.milestonesTotal === 0) return '';
  return msg(str`Milestones done: ${first.milestonesDone} to ${last.milestonesDone} of ${last.milestonesTotal}.`);
}

function trendSentence(s: Series): string {
  const first = s.points[0]?.confidence ?? 0;
  const last = s.points[s.points.length - 1]?.confidence ?? 0;
  const n = s.points.length;
  if (n === 1) return msg(str`${s.name}: one check-in, confidence ${last} of 5.`);
  const d = direction(s);
  return d === 'up'
    ? msg(str`${s.name}: confidence rose from ${first} to ${last} of 5 over ${n} check-ins.`)
    : d === 'down'
      ? msg(str`${s.name}: confidence fell from ${first} to ${last} of 5 over ${n} check-ins.`)
      : msg(str`${s.name}: confidence held at ${last} of 5 over ${n} check-ins.`);
}

/**
 * The check-ins of a room, for both people, newest first: what moved forward, what is in the way
 * and how confident each person felt, with a small chart of confidence over time. The chart is a
 * picture of the same data: its text alternative is the sentence under it and the list below.
 * New check-ins arrive live.
 *
 * @summary Past check-ins of a room with a confidence trend.
 * @tag menteo-check-in-history
 *
 * @csspart chart - The trend chart (an inline SVG).
 * @csspart entry - One check-in.
 * @csspart state - Loading, empty and error states.
 *
 * @cssprop --menteo-color-accent - The first person's line.
 *
 * @cssstate loading - Loading.
 * @cssstate empty - No check-ins yet.
 * @cssstate error - The check-ins could not load.
 *
 * @fires {MenteoErrorEvent} menteo-error - Loading failed.
 */
export class MenteoCheckInHistory extends MenteoWidget {
  static override styles = [MenteoElement.styles, checkInHistoryStyles];

  /** The room whose check-ins to show. */
  @property({ attribute: 'room-id', reflect: true }) roomId: string | undefined = undefined;

  /** Heading; defaults to "Check-in history". */
  @property() heading: string | undefined = undefined;

  /** How many check-ins to load (newest first). */
  @property({ type: Number }) limit = 30;

  @state() private checkIns: CheckIn[] = [];
  /** Milestones done at each check-in (the server's trend points), by check-in id. */
  @state() private progress: ReadonlyMap<string, TrendPoint> = new Map();

  private readonly ids = { base: uniqueId('check-in-history') };
  private readonly live = new LiveController(this, {
    client: () => this.session?.client,
    session: () => this.session,
    target: () => this.roomId ?? '',
    position: () => this.loadedAt,
    open: (client, options) => this.subscribe(client.events.room(this.roomId ?? '', options)),
  });

  /** Where the last load stands in the event log: the live subscription starts there. */
  private loadedAt: EventPosition | undefined;

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client, this.roomId, this.limit] as const,
    task: async ([client, roomId, limit], { signal }) => {
      if (client === undefined || !roomId) return initialState;
      const position = client.events.position();
      const [page, trends] = await Promise.all([
        client.checkIns.list(roomId, { limit }, { signal, position }),
        // Progress is an addition to the check-ins: without it the history still shows.
        client.checkIns.trends(roomId, { signal }).then(undefined, () => undefined),
      ]).then(undefined, (e: unknown) => this.reportLoadError(e));
      this.loadedAt = position;
      this.checkIns = page.items;
      this.progress = new Map((trends?.people ?? []).flatMap((t) => t.points.map((p) => [p.checkInId, p] as const)));
      return page.items.length;
    },
  });

  protected override firstUpdated(): void {
    if (!this.roomId) this.warn('no-id', 'needs a `room-id` attribute.');
  }

  /** Shows a check-in at once (e.g. the one just sent beside it), before its live event arrives. */
  add(checkIn: CheckIn): void {
    if (checkIn.roomId !== this.roomId || this.checkIns.some((c) => c.id === checkIn.id)) return;
    this.checkIns = [checkIn, ...this.checkIns];
  }

  private subscribe(sub: LiveSubscription): LiveSubscription {
    sub.on('checkin.created', (e) => this.add(e.data));
    return sub;
  }

  private renderChart(): TemplateResult {
    const series = seriesOf(this.checkIns);
    const x = xOf(this.checkIns);
    const id = this.ids.base;
    const grid = [1, 2, 3, 4, 5].map(
      (c) => svg`<line x1=${BOX.left} x2=${BOX.width - BOX.right} y1=${yOf(c)} y2=${yOf(c)}></line>
        <text class="axis" x=${BOX.left - 6} y=${yOf(c) + 3} text-anchor="end">${c}</text>`,
    );
    const lines = series.map((s, i) => {
      const k = i % 2;
      const pts = s.points.map((p) => `${(x.get(p.id) ?? 0).toFixed(1)},${yOf(p.confidence).toFixed(1)}`).join(' ');
      return svg`<polyline class="series series--${k}" points=${pts}></polyline>
        ${s.points.map((p) =>
          k === 0
            ? svg`<circle class="dot--0" cx=${x.get(p.id) ?? 0} cy=${yOf(p.confidence)} r="3.5"></circle>`
            : svg`<rect class="dot--1" x=${(x.get(p.id) ?? 0) - 3.5} y=${yOf(p.confidence) - 3.5} width="7" height="7"></rect>`,
        )}`;
    });
    // Progress as thin bars behind the lines: the share of the author's milestones done then.
    const bars = this.checkIns.flatMap((c) => {
      const p = this.progress.get(c.id);
      if (!p || p.milestonesTotal === 0) return [];
      const h = (p.milestonesDone / p.milestonesTotal) * (BOX.height - BOX.top - BOX.bottom);
      return [svg`<rect class="bar" x=${(x.get(c.id) ?? 0) - 4} y=${BOX.height - BOX.bottom - h} width="8" height=${h}></rect>`];
    });
    return html`<figure>
      <svg part="chart" class="chart" viewBox="0 0 ${BOX.width} ${BOX.height}" role="img" aria-labelledby="${id}-summary">
        <g class="grid">${grid}</g>
        <g class="bars">${bars}</g>
        ${lines}
      </svg>
      <ul class="legend" aria-hidden="true">
        ${series.map((s, i) => html`<li><span class="swatch swatch--${i % 2}"></span>${s.name}</li>`)}
        ${bars.length ? html`<li><span class="swatch swatch--bar"></span>${msg('Bars: share of milestones done')}</li>` : nothing}
      </ul>
      <figcaption id="${id}-summary">
        ${msg('Confidence over time (1 to 5).')} ${series.map((s) => `${trendSentence(s)} ${progressSentence(s, this.progress)}`.trim()).join(' ')}
      </figcaption>
    </figure>`;
  }

  private renderList(): TemplateResult {
    return html`<ol class="list" aria-label=${msg('Check-ins, newest first')}>
      ${this.checkIns.map(
        (c) => html`<li part="entry" class="entry">
          <div class="meta">${avatar(c.author, 'sm')}<strong>${c.author.displayName}</strong><span>${relativeTime(c.createdAt)}</span>
            <span class="confidence">${msg(str`Confidence ${c.confidence} of 5 (${confidenceWord(c.confidence)})`)}</span>
            ${progressText(this.progress.get(c.id)) ? html`<span class="progress">${progressText(this.progress.get(c.id))}</span>` : nothing}</div>
          <p>${c.progress}</p>
          ${c.blockers ? html`<p class="blockers"><strong>${msg('In the way:')}</strong> ${c.blockers}</p>` : nothing}
        </li>`,
      )}
    </ol>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate() ?? this.renderAccessLoss(this.live.lost, msg('You no longer have access to this room.'));
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => loadingState(),
        complete: () => {
          stateName = this.checkIns.length === 0 ? 'empty' : 'ready';
          return this.checkIns.length === 0
            ? emptyState(msg('No check-ins yet'), msg('Check-ins appear here, with how confidence changes over time.'))
            : html`${this.renderChart()}${this.renderList()}`;
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${this.heading ?? msg('Check-in history')}</h2>${body}${this.announcer.render()}`;
  }
}
