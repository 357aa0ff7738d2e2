// Revoking an API key revokes what was minted through it: the access tokens exchanged from its
// embed sessions and its client secrets not yet exchanged. A leaked key that is revoked must not
// leave its tokens working until they expire. Over HTTP on the real server, through
// `DELETE /v1/api-keys/{id}` and through `menteo-server keys revoke` run in another process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreatedApiKey, EmbedSession } from '@menteo/api';
import { runCli } from '../src/cli/program.js';
import type { CliIo } from '../src/cli/io.js';
import { openSqlite } from '../src/node.js';
import { openLive, readyOf, type Reader } from './live-support.js';
import { freePort, prepareDatabase, startChild, type ChildServer, type PreparedDatabase } from './support/child-server.js';
import { startServer, type TestServer } from './support/server.js';
import { expectStatus, person } from './support/world.js';

/** A client secret minted through `key` for the person. */
async function secretThrough(url: string, key: string, personId: string): Promise<string> {
  const r = await fetch(`${url}/v1/embed-sessions`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ personId }),
  });
  assert.equal(r.status, 201, await r.clone().text());
  return ((await r.json()) as EmbedSession).clientSecret;
}

/** Exchanges a client secret; the status and, on 200, the access token. */
async function exchange(url: string, clientSecret: string): Promise<{ status: number; token: string }> {
  const r = await fetch(`${url}/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret }) });
  const body = (await r.json()) as { accessToken?: string };
  return { status: r.status, token: body.accessToken ?? '' };
}

async function meStatus(url: string, secret: string): Promise<number> {
  const r = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  await r.body?.cancel();
  return r.status;
}

/** The `live.end` reason once the stream ended. */
async function endReason(reader: Reader): Promise<string> {
  await reader.until('live.end and the end of the stream', () => reader.ended() && reader.controls().some((f) => f.event === 'live.end'), 10_000);
  return String(reader.controls().find((f) => f.event === 'live.end')?.data.reason);
}

describe('revoking an API key through the API revokes what it minted', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ heartbeatMs: 100 });
  });
  after(async () => server.close());

  it('its access tokens are refused at once and their streams end; its unexchanged secrets are refused; another key\'s token works', async () => {
    const ada = await person(server, 'Ada Embedded');
    const leaked = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'Leaked backend' } });
    expectStatus(leaked, 201);
    const kept = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'Other backend' } });
    expectStatus(kept, 201);

    const minted = await exchange(server.url, await secretThrough(server.url, leaked.body.secret, ada.id));
    assert.equal(minted.status, 200);
    const pending = await secretThrough(server.url, leaked.body.secret, ada.id);
    const other = await exchange(server.url, await secretThrough(server.url, kept.body.secret, ada.id));
    assert.equal(other.status, 200);
    // Both tokens in use (and so in the credential cache) before the revocation.
    assert.equal(await meStatus(server.url, minted.token), 200);
    assert.equal(await meStatus(server.url, other.token), 200);
    const live = await openLive(server, minted.token, [{ topic: 'feed' }]);
    const otherLive = await openLive(server, other.token, [{ topic: 'feed' }]);
    await readyOf(live);
    await readyOf(otherLive);
    try {
      expectStatus(await server.call('DELETE', `/v1/api-keys/${leaked.body.key.id}`), 200);

      assert.equal(await meStatus(server.url, minted.token), 401, 'a token minted through the revoked key still works');
      assert.equal((await exchange(server.url, pending)).status, 401, 'a client secret minted through the revoked key can still be exchanged');
      assert.equal(await endReason(live), 'token_revoked');
      assert.equal(await meStatus(server.url, other.token), 200, 'a token minted through another key must keep working');
      assert.ok(!otherLive.ended(), 'the stream of another key\'s token must stay open');
    } finally {
      live.close();
      otherLive.close();
    }
  });
});

describe('revoking an API key with menteo-server keys revoke (another process) revokes what it minted', () => {
  let prepared: PreparedDatabase;
  let child: ChildServer | undefined;
  before(async () => {
    prepared = await prepareDatabase();
  });
  after(async () => {
    await child?.kill9();
    prepared.remove();
  });

  it('the token is refused at once and its open stream ends with token_revoked', async () => {
    child = await startChild(prepared.dbPath, await freePort());
    const url = child.url;
    const p = await fetch(`${url}/v1/people`, {
      method: 'POST', headers: { authorization: `Bearer ${prepared.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'Cli Person' }),
    });
    assert.equal(p.status, 201);
    const personId = ((await p.json()) as { id: string }).id;
    const minted = await exchange(url, await secretThrough(url, prepared.apiKey, personId));
    assert.equal(minted.status, 200);
    const pending = await secretThrough(url, prepared.apiKey, personId);
    assert.equal(await meStatus(url, minted.token), 200);

    const controller = new AbortController();
    const res = await fetch(`${url}/v1/live`, {
      method: 'POST',
      headers: { authorization: `Bearer ${minted.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ topics: [{ topic: 'feed' }] }),
      signal: controller.signal,
    });
    assert.equal(res.status, 200);
    let text = '';
    let ready: () => void = () => {};
    const readyAt = new Promise<void>((resolve) => (ready = resolve));
    const done = (async () => {
      try {
        for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
          text += chunk;
          if (text.includes('event: live.ready')) ready();
        }
      } catch {
        // aborted by the test
      }
    })();
    try {
      await readyAt;
      const db = openSqlite(prepared.dbPath);
      const keyId = await db.selectFrom('api_keys').select('id').executeTakeFirstOrThrow().then((r) => r.id).finally(() => db.destroy());
      const out: string[] = [];
      const io: CliIo = { out: (t) => out.push(t), err: (t) => out.push(t), env: {} };
      assert.equal(await runCli(['keys', 'revoke', keyId, '--db', prepared.dbPath], io), 0, out.join('\n'));

      assert.equal(await meStatus(url, minted.token), 401, 'a token minted through the key revoked by the CLI still works');
      assert.equal((await exchange(url, pending)).status, 401, 'a client secret minted through the key revoked by the CLI can still be exchanged');
      // A bounded wait, not a timing assertion: the watch looks every 500 ms; give a loaded machine 10 s.
      const deadline = Date.now() + 10_000;
      while (!/event: live\.end\ndata: .*token_revoked/.test(text) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(text, /event: live\.end\ndata: .*token_revoked/, 'the open stream of the token did not end');
    } finally {
      controller.abort();
      await done;
    }
  });
});
