/**
 * The admin console under the strict Content-Security-Policy of the `csp` group (the `/admin`
 * page's policy is as strict): its charts, tables and forms render with no violation and no
 * `style` attribute written from script.
 */
import { expect } from '@open-wc/testing';
import { programsApi } from '@menteo/client/programs';
import { DEFAULT_EMBED_SCOPES } from '@menteo/api/scopes';
import '../define/provider.js';
import '../define/admin-console.js';
import type { MenteoAdminConsole } from './admin-console.js';
import { $, until } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from '../internal/format.js';

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
const styleWrites: string[] = [];
const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
  if (name.toLowerCase() === 'style') styleWrites.push(`<${this.localName}> ${value}`);
  return setAttribute.call(this, name, value);
};

const world = useWorld();

describe('<menteo-admin-console> under a strict Content-Security-Policy', () => {
  it('renders health charts, cohorts with the template editor, and settings without a violation', async () => {
    const today = todayDateOnly();
    const set = await world.newRoom('Late roadmap');
    await world.roadmap(set.mentor, set.room.id, addDays(today, -30), [{ title: 'Late', dueDate: addDays(today, -3) }]);
    await world.as(set.mentee).checkIns.create(set.room.id, { progress: 'ok', confidence: 3 });
    const api = programsApi(world.admin);
    const program = await api.create({ name: 'Engineering' });
    const template = await api.templates.create(program.id, { name: 'Path', milestones: [{ title: 'One', dayOffset: 7 }] });
    await api.cohorts.create(program.id, { name: 'Q1', startDate: today, endDate: addDays(today, 90), templateId: template.id });
    const admin = await world.person('Ada Admin', ['admin']);
    const { el } = await mountAs<MenteoAdminConsole>(world, admin, 'menteo-admin-console', {}, { scopes: [...DEFAULT_EMBED_SCOPES, 'org:admin'] });

    const health = await until(() => el.shadowRoot?.querySelector('menteo-admin-health'), 'health');
    await until(() => health.shadowRoot?.querySelector('svg.chart .bar'), 'the charts');
    // The bars' widths are SVG attributes, which no style-src governs.
    expect(Number(health.shadowRoot!.querySelector('svg.chart .bar')!.getAttribute('width'))).to.be.greaterThan(0);

    $<HTMLButtonElement>(el, 'nav button[data-section=cohorts]').click();
    const cohorts = await until(() => el.shadowRoot?.querySelector('menteo-admin-cohorts'), 'cohorts');
    const edit = await until(() => cohorts.shadowRoot?.querySelector<HTMLButtonElement>(`[data-template="${template.id}"]`), 'the template');
    edit.click();
    await until(() => cohorts.shadowRoot?.querySelector('#mt-0'), 'the editor');

    $<HTMLButtonElement>(el, 'nav button[data-section=settings]').click();
    const settings = await until(() => el.shadowRoot?.querySelector('menteo-admin-settings'), 'settings');
    await until(() => settings.shadowRoot?.querySelector('[data-content-access]'), 'the settings');

    for (let i = 0; i < 10; i += 1) await new Promise((r) => requestAnimationFrame(r));
    expect(styleWrites, 'style attributes written from script').to.deep.equal([]);
    expect(violations).to.deep.equal([]);
  });
});
