// <menteo-admin-integrations> where the integrations cannot run: the in-page app (the docs' live
// examples, the msw mock) has no LTI or SCIM code, since browsers cannot load it. The screen must
// say so with the server's reason, not a generic "something went wrong on our side" (a 500).
import { expect } from '@open-wc/testing';
import { SCOPES } from '@menteo/api/scopes';
import '../define/provider.js';
import '../define/admin-integrations.js';
import type { MenteoAdminIntegrations } from './admin-integrations.js';
import { expectAccessible, until } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';

const world = useWorld();

describe('<menteo-admin-integrations> in the in-page app', () => {
  it('shows that the integrations are not available here (503 unavailable), with a retry', async () => {
    const admin = await world.person('Ada Admin', ['admin']);
    const { el } = await mountAs<MenteoAdminIntegrations>(world, admin, 'menteo-admin-integrations', {}, { scopes: [...SCOPES] });
    const state = await until(() => el.shadowRoot?.querySelector('.state--error'), 'the error state');
    expect(state.textContent).to.contain('integrations are not available on this server');
    expect(state.textContent).not.to.contain('Something went wrong on our side');
    await expectAccessible(el);
  });
});
