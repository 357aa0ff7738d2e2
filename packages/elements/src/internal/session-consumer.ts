/**
 * What widgets share about the session: consuming it and deriving what the viewer may do.
 * @module
 */
import type { ReactiveControllerHost } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { Me } from '@menteo/api/auth';
import type { Scope } from '@menteo/api/scopes';
import { sessionContext, type MenteoSession } from '../context.js';

/** True when the signed-in credential carries `scope`. */
export function can(me: Me | null | undefined, scope: Scope): boolean {
  return me?.scopes.includes(scope) ?? false;
}

/**
 * Subscribes `host` to the nearest provider's session. `subscribe: true` so a provider that
 * signs in again (a new person, a retry) reaches every widget, and so the page's context root can
 * replay the request to a provider that upgrades later.
 */
export function consumeSession(
  host: ReactiveControllerHost & HTMLElement,
  onChange: (session: MenteoSession | undefined) => void,
): ContextConsumer<typeof sessionContext, ReactiveControllerHost & HTMLElement> {
  return new ContextConsumer(host, {
    context: sessionContext,
    subscribe: true,
    callback: (value) => onChange(value),
  });
}

/** True when a `<menteo-provider>` encloses `el`, across shadow roots. */
export function hasProviderAncestor(el: Element): boolean {
  let node: Node | null = el.parentNode;
  while (node !== null) {
    if (node instanceof Element && node.localName === 'menteo-provider') return true;
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return false;
}
