import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import type { Feedback, FeedbackSubject } from '@menteo/api/feedback';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoFormWidget } from '../internal/form-widget.js';
import { can } from '../internal/session-consumer.js';
import { ratingGroup } from '../internal/rating.js';
import { uniqueId } from '../internal/ids.js';
import { MenteoFeedbackSubmitEvent } from '../events.js';
import { feedbackStyles } from './feedback.styles.js';

type FeedbackFields = { rating: string; comment: string };

/**
 * Feedback on how well guidance works: a 1–5 rating with words for every step and an optional
 * comment, about a session, a roadmap or the room as a whole. Mentees rate guidance and mentors
 * rate how it landed (the server derives the direction from the author's role). Form-associated
 * like `<menteo-check-in>`.
 *
 * @summary Rate how effective the guidance was, in both directions.
 * @tag menteo-feedback
 *
 * @csspart form - The form.
 * @csspart rating - The rating choices.
 * @csspart button - Every button.
 * @csspart submit-button - The send button.
 *
 * @cssprop --menteo-color-accent - Selected rating and the send button.
 *
 * @cssstate error - The last send failed.
 *
 * @fires {MenteoFeedbackSubmitEvent} menteo-feedback-submit - Feedback was sent and acknowledged.
 * @fires {MenteoErrorEvent} menteo-error - Sending failed.
 */
export class MenteoFeedback extends MenteoFormWidget<FeedbackFields> {
  static override styles = [MenteoElement.styles, feedbackStyles];

  protected readonly kind = 'feedback';

  /** What the feedback is about: `session`, `roadmap` or `room` (the default). */
  @property() subject: FeedbackSubject = 'room';

  /** The session note id (for `session`) or roadmap id (for `roadmap`). */
  @property({ attribute: 'subject-id' }) subjectId: string | undefined = undefined;

  /** The feedback request this answers (it becomes answered); it must ask the reader, in this room. */
  @property({ attribute: 'request-id' }) requestId: string | undefined = undefined;

  /** Heading of the form; defaults to a question that fits the subject. */
  @property() heading: string | undefined = undefined;

  private readonly ids = { form: uniqueId('feedback') };

  protected emptyFields(): FeedbackFields {
    return { rating: '', comment: '' };
  }

  protected validate(f: FeedbackFields): Partial<Record<keyof FeedbackFields, string>> {
    return /^[1-5]$/.test(f.rating) ? {} : { rating: msg('Choose a rating.') };
  }

  protected send(f: FeedbackFields, idempotencyKey: string): Promise<Feedback> {
    const client = this.session?.client;
    if (client === undefined || !this.roomId) return Promise.reject(Object.assign(new Error('no room'), { code: 'no_provider' }));
    return client.feedback.create(
      this.roomId,
      {
        subject: this.subject,
        ...(this.subject !== 'room' && this.subjectId ? { subjectId: this.subjectId } : {}),
        ...(this.requestId ? { requestId: this.requestId } : {}),
        rating: Number(f.rating),
        ...(f.comment.trim() ? { comment: f.comment.trim() } : {}),
      },
      { idempotencyKey },
    );
  }

  protected acknowledged(created: unknown): void {
    this.sentMessage = msg('Feedback sent. Thank you!');
    this.announcer.polite(this.sentMessage);
    this.dispatchEvent(new MenteoFeedbackSubmitEvent(created as Feedback));
  }

  private defaultHeading(): string {
    return this.subject === 'session'
      ? msg('How useful was this session?')
      : this.subject === 'roadmap'
        ? msg('How well is this roadmap working?')
        : msg('How well is the guidance in this room working?');
  }

  protected override render(): TemplateResult {
    const gate = this.renderSessionGate();
    if (gate) return html`${gate}${this.announcer.render()}`;
    this.setViewState(this.sendError ? 'error' : 'ready');
    const id = this.ids.form;
    const errors = this.showErrors ? this.validate(this.fields) : {};
    const allowed = can(this.session?.me, 'feedback:write');
    const disabled = this.isDisabled || !allowed;
    return html`<form part="form" novalidate @submit=${this.submit} aria-labelledby="${id}-h">
        <h2 id="${id}-h">${this.heading ?? this.defaultHeading()}</h2>
        ${allowed ? nothing : html`<p class="hint">${msg('You cannot give feedback with this access.')}</p>`}
        ${ratingGroup({
          id: `${id}-rating`,
          legend: msg('Your rating'),
          labels: [msg('Not helpful'), msg('Slightly helpful'), msg('Helpful'), msg('Very helpful'), msg('Exceptional')],
          value: this.fields.rating,
          invalid: errors.rating !== undefined,
          error: errors.rating,
          disabled,
          onChange: (v) => this.setField('rating', v),
        })}
        <div class="field">
          <label for="${id}-comment">${msg('What worked, and what would help more? (optional)')}</label>
          <textarea
            id="${id}-comment"
            rows="3"
            maxlength="4000"
            ?disabled=${disabled}
            .value=${this.fields.comment}
            @input=${(e: Event) => this.setField('comment', (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </div>
        <div class="actions">
          ${this.sentMessage ? html`<p class="sent">${this.sentMessage}</p>` : nothing}
          ${this.sendError ? html`<p class="error-text">${this.sendError}</p>` : nothing}
          <button part="button submit-button" class="btn btn--primary" type="submit" ?disabled=${disabled} aria-disabled=${this.sending ? 'true' : 'false'}>
            ${this.sending ? msg('Sending…') : msg('Send feedback')}
          </button>
        </div>
      </form>
      ${this.announcer.render()}`;
  }
}
