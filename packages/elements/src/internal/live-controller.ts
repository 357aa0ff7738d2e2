/**
 * The lifecycle every live widget needs, in one place: subscribe to what the widget shows through
 * the provider's client, subscribe again when the client or the target changes, pause while the
 * page is hidden (a hidden tab receives nothing; resuming replays what was missed) and
 * unsubscribe when the widget leaves the page.
 *
 * Widgets never open connections: the client carries every subscription of the page (and, in
 * browsers that allow it, of every tab of the same person) over one live connection. Several
 * widgets subscribing to the same room each get their own subscription, and so every event.
 *
 * A widget that loads its data first says where that load stands (`position`): the subscription
 * then starts there (`lastEventId`), so an event written between the load's reads and the topic
 * reaching the server is replayed, not lost, and one the load already reflects is not applied
 * again. Each new load starts a new subscription from its own position.
 *
 * A subscription the server closes because access was lost (removed from the room, the room or
 * thread gone, the session ended) is reported as {@link LiveController.lost}, so the widget can
 * say so and stop offering writes that would fail.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EventPosition, LiveSubscription, MenteoClient } from '@menteo/client';
import { errorCode } from './errors.js';

/**
 * Why a widget's live subscription ended for good: `forbidden` (no longer allowed to read it),
 * `not_found` (gone, or never visible to this person), `unauthenticated` (the session ended).
 */
export type AccessLoss = 'forbidden' | 'not_found' | 'unauthenticated';

const LOSSES: ReadonlySet<string> = new Set<AccessLoss>(['forbidden', 'not_found', 'unauthenticated']);

/** What a widget tells the controller. */
export interface LiveOptions {
  /** The client to subscribe with (the provider's, once signed in). */
  client(): MenteoClient | undefined;
  /**
   * The provider's session object. A new one means the provider signed in again (a retry, a
   * reload of the token): a subscription closed by lost access is then tried again.
   */
  session(): unknown;
  /** Names what to subscribe to; `''` for nothing. A change opens a new subscription. */
  target(): string;
  /**
   * Where the data the widget shows stands in the event log: the {@link EventPosition} its last
   * completed load passed to its reads; `undefined` while the first load is running (nothing is
   * subscribed until it is known). Omit it for a widget that loads nothing.
   */
  position?(): EventPosition | undefined;
  /** Subscribes to the current target through `client.events.*` and attaches the widget's listeners. */
  open(client: MenteoClient, options: { paused: boolean; lastEventId: string | undefined }): LiveSubscription;
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
  #position: EventPosition | undefined;
  /** The loss and what it applies to: a widget showing another client or target has not lost it. */
  #lost: { client: MenteoClient; target: string; session: unknown; loss: AccessLoss } | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: LiveOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /**
   * Set when the subscription was closed because access was lost. Read while rendering: it is
   * `undefined` again as soon as the widget shows another client (a new sign-in) or target.
   */
  get lost(): AccessLoss | undefined {
    const lost = this.#lost;
    if (lost === undefined) return undefined;
    const client = this.#options.client();
    const same = client === lost.client && this.#options.target() === lost.target && this.#options.session() === lost.session;
    return same ? lost.loss : undefined;
  }

  /** The current subscription, if any (for tests and diagnostics). */
  get subscription(): LiveSubscription | undefined {
    return this.#subscription;
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
    const position = this.#options.position?.();
    // Until the load answered, there is no position to start from: subscribing from "now" would
    // lose what is written between the load's reads and the topic reaching the server.
    const loaded = this.#options.position === undefined || position !== undefined;
    const target = client && loaded ? this.#options.target() : '';
    // Another client (another person or server) needs its own subscription even for the same
    // target; a new sign-in tries again what lost access had closed.
    const retry = this.#lost !== undefined && this.#options.session() !== this.#lost.session;
    if (client === this.#client && target === this.#target && position === this.#position && !retry) return;
    this.#lost = undefined;
    this.close();
    this.#client = client;
    this.#target = target;
    this.#position = position;
    if (client && target) {
      const paused = this.#host.ownerDocument.visibilityState === 'hidden';
      const sub = this.#options.open(client, { paused, lastEventId: position?.since });
      this.#subscription = sub;
      sub.onState((state, error) => {
        if (state !== 'closed' || sub !== this.#subscription || error === undefined) return;
        const code = errorCode(error);
        if (!LOSSES.has(code)) return;
        this.#lost = { client, target, session: this.#options.session(), loss: code as AccessLoss };
        this.#host.requestUpdate();
      });
    }
  }

  /** Unsubscribes; the next update subscribes again if there is something to show. */
  close(): void {
    const sub = this.#subscription;
    this.#subscription = undefined;
    this.#client = undefined;
    this.#target = '';
    this.#position = undefined;
    sub?.close();
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
