// Access changed outside the serving process (issue 7 item 3): the operator revokes an API key with
// `menteo-server keys revoke` while `menteo-server serve` runs in another process on the same
// SQLite file. Requests with the key are refused at once (authentication reads the row); its open
// live stream must end too (`live.end` token_revoked), although no in-process notice reached the
// server's hub.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../src/cli/program.js';
import type { CliIo } from '../src/cli/io.js';
import { openSqlite } from '../src/node.js';
import { freePort, prepareDatabase, startChild, type ChildServer, type PreparedDatabase } from './support/child-server.js';

let prepared: PreparedDatabase;
let child: ChildServer | undefined;

before(async () => {
  prepared = await prepareDatabase();
});
after(async () => {
  await child?.kill9();
  prepared.remove();
});

/** Opens POST /v1/live and collects the `live.*` control frames' event names and reasons. */
async function openLive(url: string, apiKey: string): Promise<{ ends: () => string[]; readyAt: Promise<void>; close: () => void }> {
  const controller = new AbortController();
  const res = await fetch(`${url}/v1/live`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ topics: [{ topic: 'feed' }] }),
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  const ends: string[] = [];
  let text = '';
  let ready: () => void = () => {};
  const readyAt = new Promise<void>((resolve) => (ready = resolve));
  void (async () => {
    try {
      for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
        text += chunk;
        if (text.includes('event: live.ready')) ready();
        for (const m of text.matchAll(/event: live\.end\ndata: (.*)\n/g)) {
          const reason = (JSON.parse(m[1] ?? '{}') as { reason?: string }).reason ?? '?';
          if (!ends.includes(reason)) ends.push(reason);
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  return { ends: () => ends, readyAt, close: () => controller.abort() };
}

describe('access changed by the operator CLI while the server runs in another process', () => {
  it('menteo-server keys revoke ends the key\'s open live stream with live.end token_revoked', async () => {
    const port = await freePort();
    child = await startChild(prepared.dbPath, port);
    const live = await openLive(child.url, prepared.apiKey);
    try {
      await live.readyAt;
      const db = openSqlite(prepared.dbPath);
      const keyId = await db.selectFrom('api_keys').select('id').executeTakeFirstOrThrow().then((r) => r.id).finally(() => db.destroy());

      const out: string[] = [];
      const io: CliIo = { out: (t) => out.push(t), err: (t) => out.push(t), env: {} };
      assert.equal(await runCli(['keys', 'revoke', keyId, '--db', prepared.dbPath], io), 0, out.join('\n'));
      const refused = await fetch(`${child.url}/v1/me`, { headers: { authorization: `Bearer ${prepared.apiKey}` } });
      assert.equal(refused.status, 401, 'requests with the revoked key are refused');

      // A bounded wait, not a timing assertion: the bound is 1 s; give a loaded machine 10.
      const deadline = Date.now() + 10_000;
      while (live.ends().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(live.ends(), ['token_revoked'], 'the open stream of the revoked key did not end');
    } finally {
      live.close();
    }
  });
});
