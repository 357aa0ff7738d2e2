// <menteo-admin-integrations> against a REAL Menteo server over HTTP (the runner's
// menteo-real-server plugin): the integrations' LTI and SCIM code runs in Node only, so the
// in-page app cannot serve them. The widget signs in as the organization's admin with every
// scope, as the console does after `menteo-server admin-link`.
import { expect } from '@open-wc/testing';
import { integrationsApi } from '@menteo/client/integrations';
import '../define/provider.js';
import '../define/admin-integrations.js';
import type { MenteoAdminIntegrations } from './admin-integrations.js';
import { $, $$, cleanupBody, expectAccessible, mountInProvider, until } from '../test-support/index.js';
import { focusWalk, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { realServer, type RealServer } from '../test-support/real-server.js';

let server: RealServer;

async function mount(): Promise<MenteoAdminIntegrations> {
  const { el } = await mountInProvider<MenteoAdminIntegrations>(server.adminClient(), 'menteo-admin-integrations');
  await until(() => el.shadowRoot?.querySelector('#h-scim, .state--error'), 'the integrations');
  return el;
}

function announced(el: MenteoAdminIntegrations): string {
  return el.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent ?? '';
}

describe('<menteo-admin-integrations> (real server)', function () {
  this.timeout(30_000);
  before(async () => {
    server = await realServer();
  });
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
    cleanupBody();
  });

  it('creates an LTI install link shown once, shows the values to type in, and registers a platform by hand', async () => {
    const el = await mount();
    expect($(el, 'details dl').textContent).to.contain('https://menteo.example.com/lti/login');
    $<HTMLButtonElement>(el, 'form.inline button[type=submit]').click();
    const link = await until(() => el.shadowRoot?.querySelector<HTMLInputElement>('#install-url'), 'the install link');
    expect(link.value).to.match(/^https:\/\/menteo\.example\.com\/lti\//);
    await until(() => el.shadowRoot?.activeElement?.id === 'install-url', 'focus on the link');
    await expectAccessible(el);
    $<HTMLButtonElement>(el, '[data-once-done]').click();
    await until(() => !el.shadowRoot?.querySelector('#install-url'), 'the link put away');

    const details = $$<HTMLDetailsElement>(el, 'details').find((d) => d.textContent?.includes('Register a platform by hand'))!;
    details.open = true;
    const fill = (name: string, value: string) => ($<HTMLInputElement>(el, `#platform-${name}`).value = value);
    fill('issuer', 'https://moodle.acme.test');
    fill('clientId', 'menteo-tool');
    fill('deploymentIds', '1, 2');
    fill('authLoginUrl', 'https://moodle.acme.test/mod/lti/auth.php');
    fill('authTokenUrl', 'https://moodle.acme.test/mod/lti/token.php');
    fill('jwksUrl', 'https://moodle.acme.test/mod/lti/certs.php');
    fill('platformName', 'Acme Moodle');
    details.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await until(() => el.shadowRoot?.querySelector('[data-platform]'), 'the platform listed');
    expect($(el, '[data-platform]').textContent).to.contain('Acme Moodle');
    expect(announced(el)).to.contain('Platform Acme Moodle registered.');
    const platforms = await integrationsApi(server.adminClient()).lti.platforms();
    expect(platforms.items.map((p) => [p.issuer, p.deploymentIds])).to.deep.include(['https://moodle.acme.test', ['1', '2']]);
    // The same issuer and client id again: the server's refusal is shown with the field.
    details.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    fill('issuer', 'https://moodle.acme.test');
    fill('clientId', 'menteo-tool');
    fill('deploymentIds', '3');
    fill('authLoginUrl', 'https://moodle.acme.test/a');
    fill('authTokenUrl', 'https://moodle.acme.test/t');
    fill('jwksUrl', 'https://moodle.acme.test/k');
    details.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const alert = await until(() => details.querySelector('[role=alert]'), 'the refusal');
    expect(alert.textContent).to.contain('already registered');
    await expectAccessible(el);
  });

  it('creates a SCIM token whose secret is shown once with the base URL, and revokes it after a confirmation', async () => {
    const el = await mount();
    $<HTMLInputElement>(el, '#scim-label').value = 'Okta production';
    $<HTMLButtonElement>(el, '#scim-label').closest('form')!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const secret = await until(() => el.shadowRoot?.querySelector<HTMLInputElement>('#scim-secret'), 'the secret');
    expect(secret.value).to.match(/^mscim_/);
    expect($(el, '.once').textContent).to.contain('https://menteo.example.com/scim/v2');
    await until(() => el.shadowRoot?.activeElement?.id === 'scim-secret', 'focus on the secret');
    const value = secret.value;
    $<HTMLButtonElement>(el, '[data-once-done]').click();
    await until(() => !el.shadowRoot?.querySelector('#scim-secret'), 'the secret put away');
    expect(el.shadowRoot!.innerHTML).not.to.contain(value);
    const token = (await integrationsApi(server.adminClient()).scimTokens.list()).items.find((t) => t.label === 'Okta production')!;
    $<HTMLButtonElement>(el, `[data-revoke="${token.id}"]`).click();
    await until(() => el.shadowRoot?.activeElement?.matches('.confirm [data-cancel]'), 'Cancel focused');
    await expectAccessible(el);
    $<HTMLButtonElement>(el, '.confirm [data-confirm]').click();
    await until(() => $(el, `tr[data-token="${token.id}"]`).textContent?.includes('Revoked'), 'revoked');
    expect((await integrationsApi(server.adminClient()).scimTokens.list()).items.find((t) => t.id === token.id)?.revokedAt).not.to.equal(null);
    await until(() => el.shadowRoot?.activeElement?.matches(`tr[data-token="${token.id}"] th`), 'focus on the revoked row');
    expect(announced(el)).to.contain('SCIM token Okta production is revoked.');
  });

  it('is keyboard operable with a visible focus in forced colours, and reflows at 320 px', async () => {
    const el = await mount();
    await forcedColors(true);
    const { stops, problems } = await focusWalk(el);
    expect(problems).to.deep.equal([]);
    expect(stops.length).to.be.greaterThan(4);
    await forcedColors(false);
    await viewport(320);
    expect(overflowingPage(el)).to.deep.equal([]);
  });
});
