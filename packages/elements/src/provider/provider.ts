import { html, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { createClient, type MenteoClient } from '@menteo/client';
import { MenteoElement } from '../internal/menteo-element.js';
import { sessionContext, type MenteoSession } from '../context.js';
import { applyLocale } from '../internal/localization.js';
import { isAbort } from '../internal/errors.js';
import { MenteoErrorEvent } from '../events.js';
import { providerStyles } from './provider.styles.js';
import type { MenteoSetupError } from './session-url.js';

/** How long a provider without a way to get a secret waits for one before reporting it. */
const SETUP_GRACE_MS = 300;

/**
 * A `clientSecret` function over the host's `session-url`, loading its code on first use: pages
 * that give a function never download it (the provider's bundle budget is tight).
 */
function lazySessionUrl(url: string, base: string): (signal?: AbortSignal) => Promise<string> {
  let ask: ((signal?: AbortSignal) => Promise<string>) | undefined;
  return async (signal) => {
    ask ??= (await import('./session-url.js')).sessionUrlSecret(url, base);
    return ask(signal);
  };
}

/** Colour scheme of the elements below a provider. */
export type MenteoTheme = 'auto' | 'light' | 'dark';

/**
 * Connects the Menteo elements inside it to a Menteo server as one signed-in person.
 *
 * Give it the server's URL and a function that asks *your* backend for a fresh client secret
 * (your backend mints it with its secret API key for the person viewing the page). The access
 * token the secret is exchanged for stays in memory. Several providers may sit on one page
 * (different servers or people); each element talks to its nearest one. Elements upgraded
 * before their provider wait for it.
 *
 * ```html
 * <menteo-provider base-url="https://menteo.example.com" locale="fr">
 *   <menteo-thread-feed room-id="room_01…"></menteo-thread-feed>
 * </menteo-provider>
 * <script type="module">
 *   document.querySelector('menteo-provider').clientSecret = () =>
 *     fetch('/menteo/session', { method: 'POST' }).then((r) => r.json()).then((s) => s.clientSecret);
 * </script>
 * ```
 *
 * With markup only (no script of your own), name your backend's session endpoint instead: the
 * provider POSTs to it with the page's cookies and reads `{ "clientSecret": "…" }` from the answer.
 *
 * ```html
 * <menteo-provider base-url="https://menteo.example.com" session-url="/menteo/session">…</menteo-provider>
 * ```
 *
 * A provider with neither says so within a second: a console error naming the fix, and an error
 * state in its widgets instead of a spinner.
 *
 * @summary Supplies the Menteo client and the signed-in person to the elements inside it.
 * @tag menteo-provider
 * @slot - The Menteo elements (and any other content) this provider serves.
 * @cssprop --menteo-color-scheme - `light`, `dark` or `light dark` (the default: follow the reader's system).
 * @fires {MenteoErrorEvent} menteo-error - Signing in failed (`operation` is `sign-in`).
 */
export class MenteoProvider extends MenteoElement {
  static override styles = [MenteoElement.styles, providerStyles];

  /** The Menteo server root, e.g. `https://menteo.example.com`. */
  @property({ attribute: 'base-url' }) baseUrl = '';

  /**
   * Fetches a fresh single-use client secret from the host's backend. A JavaScript property
   * only: functions do not belong in attributes.
   */
  @property({ attribute: false }) clientSecret: ((signal?: AbortSignal) => Promise<string>) | undefined = undefined;

  /**
   * Your backend's endpoint that answers a fresh client secret, for pages without script: the
   * provider sends `POST` with the page's cookies (`credentials: 'include'`) and
   * `Accept: application/json`, and expects a 2xx answer `{ "clientSecret": "mcs_…" }`. It is
   * asked again whenever a secret is needed (first sign-in, expiry, a refused token). A relative
   * URL is resolved against the page. The `clientSecret` function wins when both are set.
   */
  @property({ attribute: 'session-url' }) sessionUrl = '';

  /**
   * A ready-made client, instead of `base-url` and `clientSecret` (hosts that already build one,
   * tests). The provider does not own it.
   */
  @property({ attribute: false }) client: MenteoClient | undefined = undefined;

  /**
   * BCP 47 locale of the elements' text, dates and numbers (`fr`, `fr-CA`). Defaults to the
   * page's `lang`. Text falls back to English for languages without translations.
   */
  @property({ reflect: true }) locale: string | undefined = undefined;

  /** `auto` follows the reader's system preference (and the page's `color-scheme`). */
  @property({ reflect: true }) theme: MenteoTheme = 'auto';

  /** The session the elements below receive. */
  @provide({ context: sessionContext })
  @state()
  protected session: MenteoSession = this.makeSession({ status: 'idle' });

  private abort: AbortController | undefined;
  private connectedClient: MenteoClient | undefined;
  /** Pending check that the page configured a way to get a secret (see `connect`). */
  private setupCheck: ReturnType<typeof setTimeout> | undefined;

  /** The current session (status, client, signed-in person). */
  get currentSession(): MenteoSession {
    return this.session;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconnect after a move in the DOM; the first connection is handled by willUpdate.
    if (this.hasUpdated && this.connectedClient === undefined) this.connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.abort = undefined;
    this.connectedClient = undefined;
    clearTimeout(this.setupCheck);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) {
      void applyLocale(this.locale ?? (this.ownerDocument.documentElement.lang || globalThis.navigator?.language));
    }
    if (changed.has('baseUrl') || changed.has('clientSecret') || changed.has('sessionUrl') || changed.has('client')) {
      this.connect();
    }
  }

  private makeSession(partial: Partial<MenteoSession>): MenteoSession {
    return {
      status: 'idle',
      client: undefined,
      me: null,
      error: undefined,
      retry: () => this.connect(),
      ...partial,
    };
  }

  private buildClient(): MenteoClient | undefined {
    if (this.client !== undefined) return this.client;
    const clientSecret = this.clientSecret ?? (this.sessionUrl ? lazySessionUrl(this.sessionUrl, this.ownerDocument.baseURI) : undefined);
    if (!this.baseUrl || clientSecret === undefined) return undefined;
    return createClient({ baseUrl: this.baseUrl, clientSecret: (signal) => clientSecret(signal) });
  }

  /** Signs in (again): builds the client when needed and fetches who the viewer is. */
  private connect(): void {
    this.abort?.abort();
    clearTimeout(this.setupCheck);
    const client = this.buildClient();
    this.connectedClient = client;
    if (client === undefined) {
      this.session = this.makeSession({ status: 'idle' });
      // Hosts often set `clientSecret` from a script that runs just after the element upgrades:
      // give them a moment before calling the set-up incomplete, well within a second.
      this.setupCheck = setTimeout(() => void this.reportMissingSetup(), SETUP_GRACE_MS);
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.session = this.makeSession({ status: 'connecting', client });
    client.me.get({ signal: abort.signal }).then(
      (me) => {
        if (abort.signal.aborted) return;
        this.session = this.makeSession({ status: 'ready', client, me });
      },
      (error: unknown) => {
        if (abort.signal.aborted || isAbort(error)) return;
        this.session = this.makeSession({ status: 'error', client, error });
        this.dispatchEvent(new MenteoErrorEvent('sign-in', error));
      },
    );
  }

  /** Still no way to sign in: say what is missing, in the console and in every widget below. */
  private async reportMissingSetup(): Promise<void> {
    const { missingSecretSource } = await import('./session-url.js');
    if (!this.isConnected || this.connectedClient !== undefined) return;
    const error: MenteoSetupError = missingSecretSource(Boolean(this.baseUrl), this.localName);
    // An error, not a dev-mode warning: production pages must not hang silently either.
    console.error(error.message);
    this.session = this.makeSession({ status: 'error', error });
    this.dispatchEvent(new MenteoErrorEvent('sign-in', error));
  }

  protected override render(): TemplateResult {
    return html`<slot></slot>`;
  }
}
