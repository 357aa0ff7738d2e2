/**
 * The base of every widget that talks to Menteo: consumes the provider's session, owns live
 * regions, mirrors its view state as custom states, and warns when used outside a provider.
 * @module
 */
import type { TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { MenteoElement } from './menteo-element.js';
import type { MenteoSession } from '../context.js';
import { consumeSession, hasProviderAncestor } from './session-consumer.js';
import { Announcer } from './announcer.js';
import { describeError, isAbort } from './errors.js';
import { MenteoErrorEvent } from '../events.js';
import { accessLostState, errorState, loadingState } from './parts.js';
import type { AccessLoss } from './live-controller.js';
import { msg } from '@lit/localize';

/** View states mirrored as `:state(...)`. */
export type ViewState = 'loading' | 'empty' | 'error' | 'ready';

export class MenteoWidget extends MenteoElement {
  /** The nearest provider's session; `undefined` until a provider answers. */
  @state() protected session: MenteoSession | undefined;

  protected readonly announcer = new Announcer(this);
  private viewInternals: ElementInternals | undefined;

  constructor() {
    super();
    consumeSession(this, (session) => {
      this.session = session;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!hasProviderAncestor(this)) {
      this.warn('no-provider', 'is not inside a <menteo-provider>; it cannot reach Menteo until it is.');
    }
  }

  /**
   * What to show while there is no usable session: a loading state while signing in, the
   * sign-in error with a retry, or `undefined` once the widget can load its own data.
   */
  protected renderSessionGate(): TemplateResult | undefined {
    const s = this.session;
    if (s?.status === 'error') {
      this.setViewState('error');
      return errorState(describeError(s.error), s.retry);
    }
    if (s?.client === undefined) {
      this.setViewState('loading');
      return loadingState();
    }
    return undefined;
  }

  /**
   * What to show once live updates ended because access was lost (see `LiveController.lost`):
   * `noAccess` when the person may no longer read what the widget shows, the session message when
   * it ended; `undefined` while access holds. The widget then offers no writing at all.
   */
  protected renderAccessLoss(lost: AccessLoss | undefined, noAccess: string): TemplateResult | undefined {
    if (lost === undefined) return undefined;
    this.setViewState('error');
    return accessLostState(lost === 'unauthenticated' ? msg('Your session has ended. Reload the page to sign in again.') : noAccess);
  }

  /**
   * Prefix of this reader's draft keys. Drafts are per person, so on a shared computer one
   * person's unsent text never appears in another's composer.
   */
  protected draftOwner(): string {
    return this.session?.me?.person?.id ?? 'anonymous';
  }

  /** Reports a failed load to the host (the element already shows it), unless it was cancelled. */
  protected reportLoadError(error: unknown): never {
    if (!isAbort(error)) this.dispatchEvent(new MenteoErrorEvent('load', error));
    throw error;
  }

  /** Elements that are form-associated attach internals themselves; they pass them here. */
  protected useInternals(internals: ElementInternals): void {
    this.viewInternals = internals;
  }

  /** Mirrors the view state as custom states, so hosts can style `menteo-roadmap:state(empty)`. */
  protected setViewState(name: ViewState): void {
    try {
      this.viewInternals ??= this.attachInternals();
      const states = this.viewInternals.states;
      for (const s of ['loading', 'empty', 'error'] as const) {
        if (s === name) states.add(s);
        else states.delete(s);
      }
    } catch {
      // CustomStateSet is missing in older browsers; states are a styling convenience only.
    }
  }
}
