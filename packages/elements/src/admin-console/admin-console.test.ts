import { expect } from '@open-wc/testing';
import { DEFAULT_EMBED_SCOPES, type Scope } from '@menteo/api/scopes';
import '../define/provider.js';
import '../define/admin-console.js';
import type { MenteoAdminConsole } from './admin-console.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { focusIndicatorProblem, forcedColors } from '../test-support/a11y.js';
import { mountAs, recordRequests, useWorld } from '../test-support/real-api.js';

const world = useWorld();
const ADMIN_SCOPES: Scope[] = [...DEFAULT_EMBED_SCOPES, 'org:admin'];

async function mountConsole(attrs: Record<string, string> = {}) {
  const admin = await world.person('Ada Admin', ['admin']);
  const { el } = await mountAs<MenteoAdminConsole>(world, admin, 'menteo-admin-console', attrs, { scopes: ADMIN_SCOPES });
  return el;
}

describe('<menteo-admin-console>', () => {
  afterEach(() => forcedColors(false));

  it('says so, and asks nothing of the admin API, when the sign-in lacks the admin scope', async () => {
    const sent = recordRequests(world, 'GET', /\/v1\/program/);
    try {
      const person = await world.person('Nora Noadmin');
      const { el } = await mountAs<MenteoAdminConsole>(world, person, 'menteo-admin-console');
      await until(() => el.shadowRoot?.querySelector('.denied'), 'the message');
      expect($(el, '.denied').textContent).to.contain('does not have the admin scope');
      expect(el.shadowRoot!.querySelector('nav')).to.equal(null);
      expect(customElements.get('menteo-admin-health')).to.equal(undefined);
      expect(sent.length).to.equal(0);
      await expectAccessible(el);
    } finally {
      sent.stop();
    }
  });

  it('shows its sections in a navigation with the current one marked, loading a section only when shown', async () => {
    const el = await mountConsole();
    const health = await until(() => el.shadowRoot?.querySelector('menteo-admin-health'), 'the health section');
    await until(() => health.shadowRoot?.querySelector('.grid'), 'the summary');
    const buttons = $$(el, 'nav button');
    expect(buttons.map((b) => [b.textContent?.trim(), b.getAttribute('aria-current')])).to.deep.equal([
      ['Health', 'page'],
      ['Cohorts and templates', 'false'],
      ['Matching', 'false'],
      ['People', 'false'],
      ['Integrations', 'false'],
      ['Settings', 'false'],
    ]);
    expect($(el, '[part=section]').getAttribute('aria-label')).to.equal('Health');
    // The other sections' code is not loaded until they are shown.
    expect(customElements.get('menteo-admin-cohorts')).to.equal(undefined);
    expect(customElements.get('menteo-admin-integrations')).to.equal(undefined);
    await expectAccessible(el);
  });

  it('moves between sections from the keyboard, and focus follows to the section shown', async () => {
    const el = await mountConsole();
    await until(() => el.shadowRoot?.querySelector('menteo-admin-health'), 'the health section');
    const { sendKeys } = await import('@web/test-runner-commands');
    $<HTMLButtonElement>(el, 'nav button[data-section=health]').focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActiveElement()?.getAttribute('data-section')).to.equal('cohorts');
    await sendKeys({ press: 'Enter' });
    const cohorts = await until(() => el.shadowRoot?.querySelector('menteo-admin-cohorts'), 'the cohorts section');
    expect(el.getAttribute('section')).to.equal('cohorts');
    expect($(el, 'nav button[data-section=cohorts]').getAttribute('aria-current')).to.equal('page');
    expect($(el, 'nav button[data-section=health]').getAttribute('aria-current')).to.equal('false');
    expect(deepActiveElement()).to.equal($(el, '[part=section]'));
    expect(el.shadowRoot!.querySelector('menteo-admin-health')).to.equal(null);
    await until(() => cohorts.shadowRoot?.querySelector('#program-name'), 'the cohorts lists');
    await expectAccessible(el);
    // Tab from the section goes into it.
    await sendKeys({ press: 'Tab' });
    expect(cohorts.shadowRoot!.contains(deepActiveElement())).to.equal(true);
  });

  it('opens on the section named by its attribute', async () => {
    const el = await mountConsole({ section: 'cohorts' });
    await until(() => el.shadowRoot?.querySelector('menteo-admin-cohorts'), 'the cohorts section');
    expect($(el, 'nav button[aria-current=page]').textContent?.trim()).to.equal('Cohorts and templates');
  });

  it("marks the current section in forced colours and keeps a focus ring there", async () => {
    const el = await mountConsole();
    await until(() => el.shadowRoot?.querySelector('menteo-admin-health'), 'the health section');
    await forcedColors(true);
    const current = $<HTMLButtonElement>(el, 'nav button[aria-current=page]');
    expect(getComputedStyle(current).borderTopWidth).to.equal('2px');
    expect(await focusIndicatorProblem(current)).to.equal('');
    expect(deepActiveElement()).to.equal(current);
  });
});
