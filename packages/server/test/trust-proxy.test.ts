// The per-IP rate limit of unauthenticated calls behind a reverse proxy (MENTEO_TRUST_PROXY).
// Every request of these tests comes from 127.0.0.1, the "proxy": without trust, all callers
// share its bucket; trusting it, each client named by X-Forwarded-For has its own; an untrusted
// peer's X-Forwarded-For is never read, so a spoofed header buys no fresh bucket.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { serverConfigFromEnv } from '../src/env.js';
import { clientAddress, parseTrustProxy } from '../src/http/client-address.js';
import { startNodeServer } from '../src/node.js';
import { createTestStore } from './support/store.js';

type Running = Awaited<ReturnType<typeof startNodeServer>>;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A server whose per-IP bucket holds 2 requests and practically never refills. */
async function serverTrusting(trust: string | undefined): Promise<Running> {
  const testStore = await createTestStore();
  const trustProxy = parseTrustProxy(trust);
  const node = await startNodeServer({
    port: 0, hostname: '127.0.0.1', store: testStore.store, rateLimit: false,
    ipRateLimit: { capacity: 2, refillPerSecond: 0.0001 },
    ...(trustProxy ? { trustProxy } : {}),
  }).catch(async (error: unknown) => {
    await testStore.remove();
    throw error;
  });
  cleanups.push(async () => {
    await node.close();
    await testStore.remove();
  });
  return node;
}

/** An unauthenticated call (a token exchange with an unknown secret), as a client behind the proxy. */
async function exchangeAs(node: Running, forwardedFor: string | null): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (forwardedFor !== null) headers['x-forwarded-for'] = forwardedFor;
  const r = await fetch(`${node.url}/v1/tokens`, { method: 'POST', headers, body: JSON.stringify({ clientSecret: 'mcs_unknown' }) });
  await r.body?.cancel();
  return r.status;
}

describe('per-IP rate limit behind a trusted proxy', () => {
  it('two clients behind a trusted proxy get separate buckets', async () => {
    const node = await serverTrusting('127.0.0.1');
    assert.deepEqual([await exchangeAs(node, '203.0.113.1'), await exchangeAs(node, '203.0.113.1')], [401, 401]);
    assert.equal(await exchangeAs(node, '203.0.113.1'), 429, 'the first client has used its bucket');
    assert.equal(await exchangeAs(node, '203.0.113.2'), 401, 'the second client must not share the first one\'s bucket');
    // What the client itself sent is left of what the proxy appended: a spoofed first entry buys nothing.
    assert.equal(await exchangeAs(node, '198.51.100.7, 203.0.113.1'), 429, 'a spoofed leftmost entry must not pick the bucket');
  });

  it('a hop count trusts that many proxies', async () => {
    const node = await serverTrusting('1');
    await exchangeAs(node, '203.0.113.1');
    await exchangeAs(node, '203.0.113.1');
    assert.equal(await exchangeAs(node, '198.51.100.7, 203.0.113.1'), 429);
    assert.equal(await exchangeAs(node, '203.0.113.2'), 401);
  });

  it('an untrusted peer\'s X-Forwarded-For is ignored (no trust configured)', async () => {
    const node = await serverTrusting(undefined);
    assert.deepEqual([await exchangeAs(node, '203.0.113.1'), await exchangeAs(node, '203.0.113.2')], [401, 401]);
    assert.equal(await exchangeAs(node, '203.0.113.3'), 429, 'a spoofed X-Forwarded-For from an untrusted peer must not pick a fresh bucket');
    assert.equal(await exchangeAs(node, null), 429);
  });

  it('an untrusted peer\'s X-Forwarded-For is ignored (another range trusted)', async () => {
    const node = await serverTrusting('10.0.0.0/8, fd00::/8');
    await exchangeAs(node, '203.0.113.1');
    await exchangeAs(node, '203.0.113.2');
    assert.equal(await exchangeAs(node, '203.0.113.3'), 429);
  });
});

describe('clientAddress and MENTEO_TRUST_PROXY', () => {
  it('walks X-Forwarded-For from the right while the address is a trusted proxy', () => {
    const trust = parseTrustProxy('loopback, 10.0.0.0/8');
    assert.equal(clientAddress('127.0.0.1', '203.0.113.1, 10.1.2.3', trust), '203.0.113.1');
    assert.equal(clientAddress('::ffff:127.0.0.1', '203.0.113.1', trust), '203.0.113.1', 'an IPv4 peer of a dual-stack socket');
    assert.equal(clientAddress('::1', '2001:db8::1', trust), '2001:db8::1');
    assert.equal(clientAddress('192.0.2.1', '203.0.113.1', trust), '192.0.2.1', 'an untrusted peer is the client');
    assert.equal(clientAddress('127.0.0.1', null, trust), '127.0.0.1');
    assert.equal(clientAddress('127.0.0.1', 'not-an-ip', trust), '127.0.0.1', 'garbage does not pick a bucket');
    assert.equal(clientAddress('127.0.0.1', '10.0.0.1, 10.0.0.2', trust), '10.0.0.1', 'all trusted: the last one');
    assert.equal(clientAddress('127.0.0.1', '203.0.113.1', undefined), '127.0.0.1');
  });

  it('serverConfigFromEnv reads it, and refuses what is neither hops nor addresses', () => {
    assert.equal(serverConfigFromEnv({}).trustProxy, undefined);
    assert.deepEqual(serverConfigFromEnv({ MENTEO_TRUST_PROXY: '2' }).trustProxy, { kind: 'hops', hops: 2 });
    assert.equal(serverConfigFromEnv({ MENTEO_TRUST_PROXY: '172.16.0.0/12' }).trustProxy?.kind, 'addresses');
    for (const bad of ['0', 'proxy.example', '10.0.0.0/33', '10.0.0.1/8/1', 'true']) {
      assert.throws(() => serverConfigFromEnv({ MENTEO_TRUST_PROXY: bad }), /MENTEO_TRUST_PROXY/, bad);
    }
  });
});
