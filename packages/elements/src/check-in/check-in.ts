import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import type { CheckIn } from '@menteo/api/feedback';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoFormWidget } from '../internal/form-widget.js';
import { can } from '../internal/session-consumer.js';
import { ratingGroup } from '../internal/rating.js';
import { uniqueId } from '../internal/ids.js';
import { MenteoCheckInSubmitEvent } from '../events.js';
import { checkInStyles } from './check-in.styles.js';

type CheckInFields = { progress: string; blockers: string; confidence: string };

/**
 * A check-in for a room: progress since last time, blockers, and confidence (1–5). Usable on its
 * own or inside a room, and form-associated: inside a host `<form>` it contributes its value
 * (JSON, under `name`) and validity, and resets with the form. What the person types is kept
 * locally until Menteo acknowledges it.
 *
 * @summary Progress, blockers and confidence check-in form.
 * @tag menteo-check-in
 *
 * @csspart form - The form.
 * @csspart rating - The confidence choices.
 * @csspart button - Every button.
 * @csspart submit-button - The send button.
 *
 * @cssprop --menteo-color-accent - Selected confidence and the send button.
 *
 * @cssstate error - The last send failed.
 *
 * @fires {MenteoCheckInSubmitEvent} menteo-check-in-submit - A check-in was sent and acknowledged.
 * @fires {MenteoErrorEvent} menteo-error - Sending failed.
 */
export class MenteoCheckIn extends MenteoFormWidget<CheckInFields> {
  static override styles = [MenteoElement.styles, checkInStyles];

  protected readonly kind = 'check-in';

  /** Heading of the form; defaults to "Check in". */
  @property() heading: string | undefined = undefined;

  private readonly ids = { form: uniqueId('check-in') };

  protected emptyFields(): CheckInFields {
    return { progress: '', blockers: '', confidence: '' };
  }

  protected validate(f: CheckInFields): Partial<Record<keyof CheckInFields, string>> {
    const out: Partial<Record<keyof CheckInFields, string>> = {};
    if (f.progress.trim() === '') out.progress = msg('Say what moved forward since last time.');
    if (!/^[1-5]$/.test(f.confidence)) out.confidence = msg('Choose how confident you feel.');
    return out;
  }

  protected send(f: CheckInFields, idempotencyKey: string): Promise<CheckIn> {
    const client = this.session?.client;
    if (client === undefined || !this.roomId) return Promise.reject(Object.assign(new Error('no room'), { code: 'no_provider' }));
    return client.checkIns.create(
      this.roomId,
      { progress: f.progress.trim(), ...(f.blockers.trim() ? { blockers: f.blockers.trim() } : {}), confidence: Number(f.confidence) },
      { idempotencyKey },
    );
  }

  protected acknowledged(created: unknown): void {
    this.sentMessage = msg('Check-in sent. Thank you!');
    this.announcer.polite(this.sentMessage);
    this.dispatchEvent(new MenteoCheckInSubmitEvent(created as CheckIn));
  }

  protected override render(): TemplateResult {
    const gate = this.renderSessionGate();
    if (gate) return html`${gate}${this.announcer.render()}`;
    this.setViewState(this.sendError ? 'error' : 'ready');
    const id = this.ids.form;
    const errors = this.showErrors ? this.validate(this.fields) : {};
    const allowed = can(this.session?.me, 'checkins:write');
    const disabled = this.isDisabled || !allowed;
    return html`<form part="form" novalidate @submit=${this.submit} aria-labelledby="${id}-h">
        <h2 id="${id}-h">${this.heading ?? msg('Check in')}</h2>
        ${allowed ? nothing : html`<p class="hint">${msg('You cannot check in with this access.')}</p>`}
        <div class="field">
          <label for="${id}-progress">${msg('What moved forward since last time?')}</label>
          <textarea
            id="${id}-progress"
            rows="3"
            maxlength="4000"
            data-validity-anchor
            ?disabled=${disabled}
            aria-invalid=${errors.progress ? 'true' : 'false'}
            aria-describedby="${id}-progress-error"
            .value=${this.fields.progress}
            @input=${(e: Event) => this.setField('progress', (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          <span id="${id}-progress-error" class="error-text">${errors.progress ?? ''}</span>
        </div>
        <div class="field">
          <label for="${id}-blockers">${msg('Anything in your way? (optional)')}</label>
          <textarea
            id="${id}-blockers"
            rows="2"
            maxlength="4000"
            ?disabled=${disabled}
            .value=${this.fields.blockers}
            @input=${(e: Event) => this.setField('blockers', (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </div>
        ${ratingGroup({
          id: `${id}-confidence`,
          legend: msg('How confident do you feel about your roadmap?'),
          labels: [msg('Not at all'), msg('A little'), msg('Somewhat'), msg('Quite'), msg('Very')],
          value: this.fields.confidence,
          invalid: errors.confidence !== undefined,
          error: errors.confidence,
          disabled,
          onChange: (v) => this.setField('confidence', v),
        })}
        <div class="actions">
          ${this.sentMessage ? html`<p class="sent">${this.sentMessage}</p>` : nothing}
          ${this.sendError ? html`<p class="error-text">${this.sendError}</p>` : nothing}
          <button part="button submit-button" class="btn btn--primary" type="submit" ?disabled=${disabled} aria-disabled=${this.sending ? 'true' : 'false'}>
            ${this.sending ? msg('Sending…') : msg('Send check-in')}
          </button>
        </div>
      </form>
      ${this.announcer.render()}`;
  }
}
