import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget } from '../internal/widget.js';
import { can } from '../internal/session-consumer.js';
import { errorState, loadingState } from '../internal/parts.js';
import { describeError } from '../internal/errors.js';
import { MenteoErrorEvent } from '../events.js';
import { adminConsoleStyles } from './admin-console.styles.js';

/** A section of the console: its element, registered on first use so a page pays only for what it shows. */
interface Section {
  id: AdminSection;
  label: () => string;
  tag: string;
  load: () => Promise<unknown>;
}

/** The console's sections, in the order of the navigation. */
export const ADMIN_SECTIONS = ['health', 'cohorts', 'matching', 'people', 'integrations', 'settings'] as const;

/** One section of the console. */
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

const SECTIONS: readonly Section[] = [
  { id: 'health', label: () => msg('Health'), tag: 'menteo-admin-health', load: () => import('../define/admin-health.js') },
  { id: 'cohorts', label: () => msg('Cohorts and templates'), tag: 'menteo-admin-cohorts', load: () => import('../define/admin-cohorts.js') },
  { id: 'matching', label: () => msg('Matching'), tag: 'menteo-admin-matching', load: () => import('../define/admin-matching.js') },
  { id: 'people', label: () => msg('People'), tag: 'menteo-admin-people', load: () => import('../define/admin-people.js') },
  { id: 'integrations', label: () => msg('Integrations'), tag: 'menteo-admin-integrations', load: () => import('../define/admin-integrations.js') },
  { id: 'settings', label: () => msg('Settings'), tag: 'menteo-admin-settings', load: () => import('../define/admin-settings.js') },
];

function isSection(value: string | null | undefined): value is AdminSection {
  return (ADMIN_SECTIONS as readonly string[]).includes(value ?? '');
}

/**
 * The admin console: a navigation between the sections a program manager needs (program health,
 * cohorts and templates, people, integrations (LMS and identity provider),
 * settings with API keys and the audit log), each its own element loaded when first shown. For sessions with the `org:admin` scope;
 * anyone else gets a message saying so and nothing is requested. Everything goes through the
 * public API with the provider's client.
 *
 * @summary The admin console for people who run a program.
 * @tag menteo-admin-console
 *
 * @csspart nav - The sections' navigation.
 * @csspart section - The area showing the current section.
 * @csspart state - Loading and error states.
 *
 * @fires {MenteoErrorEvent} menteo-error - A section's code could not load.
 */
export class MenteoAdminConsole extends MenteoWidget {
  static override styles = [MenteoElement.styles, adminConsoleStyles];

  /** The section shown: `health`, `cohorts`, `matching`, `people`, `integrations` or `settings`. Changes when the reader picks another (reflected). */
  @property({ reflect: true }) section: AdminSection = 'health';

  /**
   * A heading above the navigation (an `h2`). None by default: the page around the console
   * usually has its own title (the standalone `/admin` page's `h1`).
   */
  @property() heading: string | undefined = undefined;

  @state() private loaded = new Set<AdminSection>();
  @state() private loadError: unknown;

  private current(): Section {
    return SECTIONS.find((s) => s.id === this.section) ?? SECTIONS[0]!;
  }

  private async ensureLoaded(section: Section): Promise<void> {
    if (this.loaded.has(section.id)) return;
    try {
      await section.load();
      this.loaded = new Set([...this.loaded, section.id]);
      this.loadError = undefined;
    } catch (e) {
      this.loadError = e;
      this.dispatchEvent(new MenteoErrorEvent('section-load', e));
    }
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('section') && !isSection(this.section)) this.section = 'health';
    if (this.session?.client && can(this.session.me, 'org:admin')) void this.ensureLoaded(this.current());
  }

  private async select(id: AdminSection): Promise<void> {
    if (id === this.section) return;
    this.section = id;
    await this.ensureLoaded(this.current());
    await this.updateComplete;
    // The content changed under the reader: focus moves to it, as a page navigation would, so a
    // screen reader reads the new section and Tab continues inside it.
    this.renderRoot.querySelector<HTMLElement>('.section')?.focus();
  }

  private onNavKey(e: KeyboardEvent): void {
    // Arrow keys move between the sections' buttons too (Tab works as well: they are plain buttons).
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('nav button')];
    const i = buttons.indexOf(e.target as HTMLButtonElement);
    if (i < 0) return;
    e.preventDefault();
    buttons[(i + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
  }

  protected override render(): TemplateResult {
    const title = this.heading ? html`<h2 class="title">${this.heading}</h2>` : nothing;
    const gate = this.renderSessionGate();
    if (gate !== undefined) return html`${title}${gate}`;
    if (!can(this.session?.me, 'org:admin')) {
      this.setViewState('empty');
      return html`${title}
        <div class="denied" part="state" role="status">
          <p>${msg('The admin console is for people who run the program: this sign-in does not have the admin scope (org:admin).')}</p>
          <p>${msg("Ask your organization's Menteo administrator for an admin sign-in link.")}</p>
        </div>`;
    }
    const current = this.current();
    let content: TemplateResult;
    if (this.loadError !== undefined) {
      this.setViewState('error');
      content = errorState(describeError(this.loadError), () => {
        this.loadError = undefined;
        void this.ensureLoaded(current);
      });
    } else if (!this.loaded.has(current.id)) {
      this.setViewState('loading');
      content = loadingState();
    } else {
      this.setViewState('ready');
      const tag = unsafeStatic(current.tag);
      content = staticHtml`<${tag}></${tag}>`;
    }
    return html`${title}
      <nav part="nav" aria-label=${msg('Admin sections')}>
        <ul @keydown=${(e: KeyboardEvent) => this.onNavKey(e)}>
          ${SECTIONS.map(
            (s) => html`<li>
              <button type="button" data-section=${s.id} aria-current=${s.id === current.id ? 'page' : 'false'} @click=${() => void this.select(s.id)}>
                ${s.label()}
              </button>
            </li>`,
          )}
        </ul>
      </nav>
      <div part="section" class="section" tabindex="-1" role="region" aria-label=${current.label()}>${content}</div>`;
  }
}
