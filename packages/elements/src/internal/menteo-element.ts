/**
 * The internal base class of every Menteo element.
 * @module
 */
import { LitElement, type CSSResultGroup } from 'lit';
import { ContextRoot } from '@lit/context';
import { updateWhenLocaleChanges } from '@lit/localize';
import { hostStyles } from './tokens.js';
import { warnOnce } from './dev.js';

/** Shared by every copy of this package on the page (hence `Symbol.for`). */
const CONTEXT_ROOT = Symbol.for('menteo.context-root');

type RootedDocument = Document & { [CONTEXT_ROOT]?: ContextRoot };

/**
 * Lets consumers that connect before their provider is defined still receive its value: the
 * root keeps their unanswered `context-request`s and replays them when a provider announces
 * itself. Attached lazily, on the first connection, because nothing may touch `document` at
 * import time; one root per document even with several bundles, or requests would replay twice.
 */
function ensureContextRoot(doc: Document): void {
  const rooted = doc as RootedDocument;
  if (rooted[CONTEXT_ROOT] !== undefined) return;
  const root = new ContextRoot();
  root.attach(doc.documentElement ?? doc);
  rooted[CONTEXT_ROOT] = root;
}

/** Registers `ctor` as `tag` unless the tag exists (another bundle on the page got there first). */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  const registry = globalThis.customElements as CustomElementRegistry | undefined;
  if (registry === undefined) return;
  const existing = registry.get(tag);
  if (existing !== undefined) {
    if (existing !== ctor) {
      warnOnce(
        `duplicate-define:${tag}`,
        `<${tag}> is already defined by another copy of @menteo/elements; this copy is not used. ` +
          'Deduplicate the package in your bundle to ship less code.',
      );
    }
    return;
  }
  registry.define(tag, ctor);
}

/**
 * Base of every Menteo element: shared host styles and tokens, re-rendering on locale changes,
 * context-before-provider support and dev-mode warnings.
 */
export class MenteoElement extends LitElement {
  static override styles: CSSResultGroup = hostStyles;

  /** Guarded define: `MenteoThreadFeed.define('menteo-thread-feed')`. */
  static define(this: CustomElementConstructor, tag: string): void {
    defineElement(tag, this);
  }

  /**
   * Incremented each time translations finish loading. Templates memoised with `guard` list it
   * among their inputs, or they would keep the previous language's strings.
   */
  protected localeEpoch = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.addController({
      hostConnected: () => globalThis.addEventListener('lit-localize-status', this.onLocaleStatus),
      hostDisconnected: () => globalThis.removeEventListener('lit-localize-status', this.onLocaleStatus),
    });
  }

  private readonly onLocaleStatus = (e: Event): void => {
    if ((e as CustomEvent<{ status: string }>).detail.status === 'ready') this.localeEpoch += 1;
  };

  override connectedCallback(): void {
    ensureContextRoot(this.ownerDocument);
    super.connectedCallback();
  }

  /** A dev-mode warning tagged with this element's name, issued once per code. */
  protected warn(code: string, message: string): void {
    const tag = this.localName;
    warnOnce(`${tag}:${code}`, `<${tag}> ${message}`);
  }
}
