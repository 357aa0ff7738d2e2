/**
 * The lifecycle every live widget needs, in one place: open a subscription for what the widget
 * shows, open a new one when the client or the target changes, pause it while the page is
 * hidden (an idle tab costs the server no connection; resuming sends Last-Event-ID, so nothing
 * is missed) and close it when the widget leaves the page.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LiveSubscription, MenteoClient } from '@menteo/client';

/** What a widget tells the controller. */
export interface LiveOptions {
  /** The client to subscribe with (the provider's, once signed in). */
  client(): MenteoClient | undefined;
  /** Names what to subscribe to; `''` for nothing. A change opens a new subscription. */
  target(): string;
  /** Opens the subscription for the current target and attaches the widget's listeners. */
  open(client: MenteoClient, options: { paused: boolean }): LiveSubscription;
  /** Called when the page becomes visible again (e.g. to refresh "today"). */
  onVisible?(): void;
}

/** Keeps one live subscription in step with a widget. */
export class LiveController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: LiveOptions;
  #subscription: LiveSubscription | undefined;
  #client: MenteoClient | undefined;
  #target = '';

  constructor(host: ReactiveControllerHost & HTMLElement, options: LiveOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.ownerDocument.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    this.#host.ownerDocument.removeEventListener('visibilitychange', this.#onVisibility);
    this.close();
  }

  hostUpdated(): void {
    const client = this.#options.client();
    const target = client ? this.#options.target() : '';
    // A new client (another person or server) needs its own stream even for the same target.
    if (client === this.#client && target === this.#target) return;
    this.close();
    this.#client = client;
    this.#target = target;
    if (client && target) {
      this.#subscription = this.#options.open(client, { paused: this.#host.ownerDocument.visibilityState === 'hidden' });
    }
  }

  /** Closes the subscription; the next update opens one again if there is something to show. */
  close(): void {
    this.#subscription?.close();
    this.#subscription = undefined;
    this.#client = undefined;
    this.#target = '';
  }

  readonly #onVisibility = (): void => {
    if (this.#host.ownerDocument.visibilityState === 'hidden') {
      this.#subscription?.pause();
    } else {
      this.#options.onVisible?.();
      this.#subscription?.resume();
    }
  };
}
