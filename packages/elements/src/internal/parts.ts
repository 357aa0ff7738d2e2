/**
 * Small parts every widget shares: avatar, loading/empty/error states and the button markup.
 * They are template functions rather than elements: a feed shows hundreds of avatars, and a
 * template costs a handful of DOM nodes where an element would add a shadow root each.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';

/** The fields of a person an avatar needs. */
export interface AvatarPerson {
  displayName: string;
  avatarUrl?: string | null;
}

/** Up to two initials, by grapheme so "Émilie Ōta" gives "ÉŌ". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? '?')][0] ?? '?';
  const last = words.length > 1 ? ([...(words[words.length - 1] ?? '')][0] ?? '') : '';
  return (first + last).toLocaleUpperCase();
}

// A stable hue per name, so the same person keeps the same colour everywhere.
function hue(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i += 1) h = (h * 31 + name.charCodeAt(i)) % 360;
  return h;
}

const HUES = ['a', 'b', 'c', 'd', 'e', 'f'] as const;

/**
 * An avatar: the photo when there is a safe http(s) URL, otherwise initials. Decorative
 * (`aria-hidden`) because the name is always shown next to it.
 */
export function avatar(person: AvatarPerson, size: 'sm' | 'md' = 'md'): TemplateResult {
  const url = person.avatarUrl && /^https?:\/\//i.test(person.avatarUrl) ? person.avatarUrl : undefined;
  const tone = HUES[hue(person.displayName) % HUES.length] ?? 'a';
  return html`<span part="avatar" class="avatar avatar--${size} avatar--${tone}" aria-hidden="true"
    >${url !== undefined
      ? html`<img src=${url} alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" />`
      : initials(person.displayName)}</span
  >`;
}

/** A loading placeholder, announced once by its `role=status`. */
export function loadingState(label: string = msg('Loading…')): TemplateResult {
  return html`<div part="state state-loading" class="state state--loading" role="status">
    <span class="spinner" aria-hidden="true"></span><span>${label}</span>
  </div>`;
}

/** An empty state with an optional hint. */
export function emptyState(title: string, hint?: string): TemplateResult {
  return html`<div part="state state-empty" class="state state--empty">
    <svg class="state__icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 5h16v11H8l-4 4z" /></svg>
    <p class="state__title">${title}</p>
    ${hint ? html`<p class="state__hint">${hint}</p>` : nothing}
  </div>`;
}

/** An error state that says what happened and offers a retry. */
export function errorState(message: string, onRetry?: () => void): TemplateResult {
  return html`<div part="state state-error" class="state state--error" role="alert">
    <svg class="state__icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3 2 21h20zm0 6v5m0 3v.5" /></svg>
    <p class="state__title">${message}</p>
    ${onRetry
      ? html`<button part="button retry-button" class="btn" type="button" @click=${onRetry}>${msg('Try again')}</button>`
      : nothing}
  </div>`;
}

/**
 * What a widget shows once its live subscription ended because access was lost: the reason in
 * words, announced at once (`role=alert`), and nothing left to write with. No retry button: only
 * a new session or restored access can help, and neither is a click inside the widget.
 */
export function accessLostState(message: string): TemplateResult {
  return html`<div part="state state-access-lost" class="state state--error" role="alert">
    <svg class="state__icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 10V8a6 6 0 0 1 12 0v2M5 10h14v11H5z" /></svg>
    <p class="state__title">${message}</p>
  </div>`;
}
