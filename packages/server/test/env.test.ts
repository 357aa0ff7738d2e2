// The `menteo-server` environment: how variables become server options (read directly), and the
// real entry (src/main.ts) in a child process honouring the LTI and SCIM rate-limit variables.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_LIVE_EVENT_RETENTION_MS } from '../src/storage/retention.js';
import { serverConfigFromEnv } from '../src/env.js';
import { freePort, prepareDatabase, startChild, type ChildServer, type PreparedDatabase } from './support/child-server.js';

const DAY = 24 * 60 * 60 * 1000;

describe('serverConfigFromEnv', () => {
  it('has the documented defaults', () => {
    const config = serverConfigFromEnv({});
    assert.equal(config.port, 8787);
    assert.equal(config.dbPath, '.menteo/menteo.db');
    assert.equal(config.rateLimit, undefined);
    assert.equal(config.integrations?.publicUrl, 'http://localhost:8787');
    assert.equal(config.integrations?.rateLimit, undefined, 'the integrations keep their own defaults');
    assert.equal(config.liveEventRetentionMs, DEFAULT_LIVE_EVENT_RETENTION_MS);
  });

  it('MENTEO_RATE_LIMIT=off turns every limit off, LTI and SCIM too', () => {
    const config = serverConfigFromEnv({ MENTEO_RATE_LIMIT: 'off' });
    assert.equal(config.rateLimit, false);
    assert.deepEqual(config.integrations?.rateLimit, { lti: false, scim: false });
  });

  it('MENTEO_LTI_RATE_LIMIT and MENTEO_SCIM_RATE_LIMIT set their own buckets, and win over MENTEO_RATE_LIMIT', () => {
    assert.deepEqual(serverConfigFromEnv({ MENTEO_LTI_RATE_LIMIT: '50:5', MENTEO_SCIM_RATE_LIMIT: 'off' }).integrations?.rateLimit, {
      lti: { capacity: 50, refillPerSecond: 5 }, scim: false,
    });
    assert.deepEqual(serverConfigFromEnv({ MENTEO_RATE_LIMIT: 'off', MENTEO_SCIM_RATE_LIMIT: '10:1' }).integrations?.rateLimit, {
      lti: false, scim: { capacity: 10, refillPerSecond: 1 },
    });
    // A credential limit does not become the LTI or SCIM one: their traffic is of another kind.
    assert.equal(serverConfigFromEnv({ MENTEO_RATE_LIMIT: '10:1' }).integrations?.rateLimit, undefined);
  });

  it('reads the live-event retention in days, at least one', () => {
    assert.equal(serverConfigFromEnv({ MENTEO_LIVE_EVENT_RETENTION_DAYS: '30' }).liveEventRetentionMs, 30 * DAY);
    assert.throws(() => serverConfigFromEnv({ MENTEO_LIVE_EVENT_RETENTION_DAYS: '0.5' }), /MENTEO_LIVE_EVENT_RETENTION_DAYS/);
    assert.throws(() => serverConfigFromEnv({ MENTEO_LIVE_EVENT_RETENTION_DAYS: 'week' }), /MENTEO_LIVE_EVENT_RETENTION_DAYS/);
  });

  it('refuses malformed limits, naming the variable', () => {
    for (const name of ['MENTEO_RATE_LIMIT', 'MENTEO_LTI_RATE_LIMIT', 'MENTEO_SCIM_RATE_LIMIT']) {
      assert.throws(() => serverConfigFromEnv({ [name]: 'lots' }), new RegExp(name));
      assert.throws(() => serverConfigFromEnv({ [name]: '10:0' }), new RegExp(name));
    }
  });

  it('leaves the integrations out with MENTEO_INTEGRATIONS=off', () => {
    assert.equal(serverConfigFromEnv({ MENTEO_INTEGRATIONS: 'off', MENTEO_LTI_RATE_LIMIT: '5:1' }).integrations, undefined);
  });
});

describe('menteo-server with MENTEO_LTI_RATE_LIMIT', () => {
  let prepared: PreparedDatabase;
  let child: ChildServer | undefined;
  before(async () => {
    prepared = await prepareDatabase();
  });
  after(async () => {
    await child?.kill9();
    prepared.remove();
  });

  it('limits /lti by the variable', async () => {
    const port = await freePort();
    child = await startChild(prepared.dbPath, port, {
      MENTEO_INTEGRATIONS: 'on', MENTEO_PUBLIC_URL: `http://127.0.0.1:${port}`, MENTEO_LTI_RATE_LIMIT: '2:0.01',
    });
    const login = () => fetch(`${child!.url}/lti/login?iss=x&login_hint=y&target_link_uri=z`).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
    const statuses = [await login(), await login(), await login()];
    assert.notEqual(statuses[0], 429);
    assert.notEqual(statuses[1], 429);
    assert.equal(statuses[2], 429, `statuses ${statuses.join(', ')}`);
  });
});
