import { expect } from '@open-wc/testing';
import { DEFAULT_EMBED_SCOPES, type Scope } from '@menteo/api/scopes';
import '../define/provider.js';
import '../define/admin-people.js';
import type { MenteoAdminPeople } from './admin-people.js';
import { $, $$, expectAccessible, until } from '../test-support/index.js';
import { focusWalk, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';

const world = useWorld();
const ADMIN_SCOPES: Scope[] = [...DEFAULT_EMBED_SCOPES, 'org:admin'];

async function mountAdmin() {
  const admin = await world.person('Ada Admin', ['admin']);
  const { el } = await mountAs<MenteoAdminPeople>(world, admin, 'menteo-admin-people', {}, { scopes: ADMIN_SCOPES });
  await until(() => el.shadowRoot?.querySelector('#people-q'), 'the search');
  return el;
}

describe('<menteo-admin-people>', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
  });

  it('finds people by name from the keyboard and shows their roles and status', async () => {
    const gone = await world.admin.people.create({ displayName: 'Zed Zebrafinch', email: 'zed@example.com', roles: ['mentor'] });
    await world.admin.people.update(gone.id, { active: false });
    await world.admin.people.create({ displayName: 'Zoe Zebrafinch', email: 'zoe@example.com' });
    const el = await mountAdmin();
    const { sendKeys } = await import('@web/test-runner-commands');
    $<HTMLInputElement>(el, '#people-q').focus();
    await sendKeys({ type: 'zebrafinch' });
    await sendKeys({ press: 'Enter' });
    await until(() => el.shadowRoot?.querySelector('tbody'), 'the results');
    const rows = $$(el, 'tbody tr').map((tr) => [...tr.children].map((c) => c.textContent?.trim()));
    expect(rows).to.have.deep.members([
      ['Zed Zebrafinch', 'zed@example.com', 'Mentor', 'Deactivated'],
      ['Zoe Zebrafinch', 'zoe@example.com', 'Member', 'Active'],
    ]);
    expect(el.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent).to.contain('2 people found.');
    await expectAccessible(el);
    await viewport(320);
    expect(overflowingPage(el)).to.deep.equal([]);
  });

  it('says so when no one matches, with a focus ring forced colours keep', async () => {
    const el = await mountAdmin();
    $<HTMLInputElement>(el, '#people-q').value = 'nobody-by-this-name';
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => el.shadowRoot?.textContent?.includes('No one matches.'), 'the empty result');
    await expectAccessible(el);
    await forcedColors(true);
    const { problems } = await focusWalk(el);
    expect(problems).to.deep.equal([]);
  });
});
