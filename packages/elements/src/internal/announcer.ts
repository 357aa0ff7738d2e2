/**
 * Live announcements for screen readers: one polite region (new posts, saved changes) and one
 * assertive region (failures) in each element's shadow root.
 * @module
 */
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** Owns the text of an element's live regions; the element renders `announcer.render()`. */
export class Announcer implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private politeText = '';
  private assertiveText = '';
  // Alternating a zero-width suffix makes a repeated identical message a text change, so screen
  // readers announce "Could not save" a second time.
  private toggle = false;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Announces `message` without interrupting the reader. */
  polite(message: string): void {
    this.politeText = this.mark(message);
    this.host.requestUpdate();
  }

  /** Announces `message` right away (errors). */
  assertive(message: string): void {
    this.assertiveText = this.mark(message);
    this.host.requestUpdate();
  }

  /** The last polite message, without the marker. Useful in tests. */
  get lastPolite(): string {
    return this.politeText.replace(/\u200b$/, '');
  }

  /** The last assertive message, without the marker. */
  get lastAssertive(): string {
    return this.assertiveText.replace(/\u200b$/, '');
  }

  private mark(message: string): string {
    this.toggle = !this.toggle;
    return this.toggle ? message : `${message}\u200b`;
  }

  render(): TemplateResult {
    return html`<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-announcer="polite">${this.politeText}</div>
      <div class="visually-hidden" role="alert" aria-atomic="true" data-announcer="assertive">${this.assertiveText}</div>`;
  }
}
