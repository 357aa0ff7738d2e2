import { expect } from '@open-wc/testing';
import { DEFAULT_EMBED_SCOPES, type Scope } from '@menteo/api/scopes';
import '../define/provider.js';
import '../define/admin-settings.js';
import type { MenteoAdminSettings } from './admin-settings.js';
import { $, $$, expectAccessible, until } from '../test-support/index.js';
import { focusWalk, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';

const world = useWorld();
const ADMIN_SCOPES: Scope[] = [...DEFAULT_EMBED_SCOPES, 'org:admin'];

async function mountAdmin() {
  const admin = await world.person('Ada Admin', ['admin']);
  const { el, client } = await mountAs<MenteoAdminSettings>(world, admin, 'menteo-admin-settings', {}, { scopes: ADMIN_SCOPES });
  await until(() => el.shadowRoot?.querySelector('[data-content-access], .state--error'), 'the settings');
  return { el, client, admin };
}

describe('<menteo-admin-settings>', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
    await world.admin.organization.update({ adminContentAccess: false });
  });

  it('shows the allowed origins and that admins cannot read room content, with an empty audit log', async () => {
    const org = await world.admin.organization.get();
    const { el } = await mountAdmin();
    expect($$(el, 'li code').map((c) => c.textContent)).to.deep.equal(org.allowedOrigins);
    expect($(el, '[data-content-access]').getAttribute('data-content-access')).to.equal('off');
    expect($(el, '[data-content-access]').textContent).to.contain('never what people wrote');
    expect(el.shadowRoot!.textContent).to.contain('Nothing recorded');
    await expectAccessible(el);
    await viewport(320);
    expect(overflowingPage(el)).to.deep.equal([]);
  });

  it('lists the setting being turned on and an admin reading a room, newest first', async () => {
    await world.admin.organization.update({ adminContentAccess: true });
    const reader = await world.person('Rex Reader', ['admin']);
    await world.clientFor(reader, { scopes: ADMIN_SCOPES }).rooms.messages.list(world.room.id);
    const { el } = await mountAdmin();
    expect($(el, '[data-content-access]').getAttribute('data-content-access')).to.equal('on');
    const rows = $$(el, 'tbody tr').map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));
    expect(rows[0]![1]).to.equal(`Person ${reader.id}`);
    expect(rows[0]![2]).to.equal(`Read messages of room ${world.room.id}`);
    expect(rows.at(-1)![2]).to.equal('Turned admin access to room content on');
    await expectAccessible(el);
    await forcedColors(true);
    const { problems } = await focusWalk(el);
    expect(problems).to.deep.equal([]);
  });
});
