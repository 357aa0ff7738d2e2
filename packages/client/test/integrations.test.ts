// The admin namespace for integrations, against the real server with integrations mounted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, integrationsApi, isMenteoError } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

describe('client integrations namespace', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ integrations: { publicUrl: 'https://menteo.example.com', widgetsScriptUrl: 'https://menteo.example.com/menteo.js' } });
  });
  after(() => server.close());

  it('creates, lists and revokes SCIM tokens; the secret is shown once', async () => {
    const integrations = integrationsApi(createClient({ baseUrl: server.url, apiKey: server.apiKey }));
    const created = await integrations.scimTokens.create({ label: 'Okta' });
    assert.match(created.secret, /^mscim_/);
    assert.equal(created.scimBaseUrl, 'https://menteo.example.com/scim/v2');
    const listed = await integrations.scimTokens.list();
    assert.deepEqual(listed.items.map((t) => t.id), [created.token.id]);
    assert.equal(JSON.stringify(listed).includes(created.secret), false);
    const revoked = await integrations.scimTokens.revoke(created.token.id);
    assert.notEqual(revoked.revokedAt, null);
  });

  it('reads the LTI tool configuration and makes an install link', async () => {
    const integrations = integrationsApi(createClient({ baseUrl: server.url, apiKey: server.apiKey }));
    const config = await integrations.lti.config();
    assert.match(JSON.stringify(config), /https:\/\/menteo\.example\.com\/lti/);
    const link = await integrations.lti.createInstallUrl({ ttlSeconds: 3600 });
    assert.match(link.url, /^https:\/\/menteo\.example\.com\/lti\/register/);
    assert.deepEqual((await integrations.lti.platforms()).items, []);
  });

  it('refuses a key without org:admin with a typed forbidden error', async () => {
    const admin = createClient({ baseUrl: server.url, apiKey: server.apiKey });
    const limited = await admin.apiKeys.create({ name: 'reader', scopes: ['rooms:read'] });
    const integrations = integrationsApi(createClient({ baseUrl: server.url, apiKey: limited.secret }));
    await assert.rejects(integrations.scimTokens.list(), (error: unknown) => isMenteoError(error, 'forbidden'));
  });
});
