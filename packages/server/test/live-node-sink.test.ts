// The Node transport of live connections on a real node:http server: frames written straight to
// the ServerResponse reach readers, and a socket that never reads is cut off (live.end, then the
// socket destroyed after the grace) with what Node holds for it bounded, while a reader beside it
// receives everything. The app's streams use this transport when the handler context carries the
// adapter's bindings; live.test.ts covers the same behaviour end to end over whichever transport.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import type { StoredEvent } from '../src/events/bus.js';
import { LiveConnection, newConnectionId } from '../src/events/connection.js';
import { LiveHub } from '../src/events/hub.js';
import { nodeSink } from '../src/events/sink.js';

const ROOM = 'room_01J0000000000000000000ROOM';
const LIMIT = 64 * 1024;
let hub: LiveHub;
let server: Server;
let port: number;
/** The server's open sockets. */
const sockets = new Set<unknown>();

before(async () => {
  hub = new LiveHub({ maxBufferedBytes: LIMIT });
  server = createServer((req, res) => {
    const c = new LiveConnection(newConnectionId(), {
      kind: 'key', credentialId: 'key_1', orgId: 'org_1', personId: null, scopes: new Set(), roomIds: null, orgWide: true, expiresAt: null, mintedBy: null, openedAt: Date.now(),
    }, nodeSink(res, { 'Content-Type': 'text/event-stream' }), false);
    req.on('close', () => hub.end(c, null));
    void (async () => {
      await hub.register(c, 60_000, async () => []);
      await hub.addTopics(c, [{ wire: `room:${ROOM}`, key: `room:${ROOM}`, since: undefined }], {
        authorize: async () => ({ kind: 'room', roomId: ROOM }),
        replay: async () => [],
      }, (topics) => hub.control(c, { type: 'live.ready', connectionId: c.id, heartbeatMs: 60_000, topics }));
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  hub.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let nextId = 1;
function event(): StoredEvent {
  const id = nextId++;
  return { id, orgId: 'org_1', roomId: ROOM, threadId: null, audience: null, personId: null, type: 'message.created', json: JSON.stringify({ id: String(id), type: 'message.created', body: 'x'.repeat(4000) }) };
}

it('writes frames to Node directly and cuts off a socket that never reads, freeing it', async () => {
  const good = await fetch(`http://127.0.0.1:${port}/`);
  const reader = good.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const received = () => (text.match(/\nevent: message\.created\n/g) ?? []).length;
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
  })();

  const slow = connect(port, '127.0.0.1');
  slow.pause();
  await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
  slow.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  while (hub.size < 2) await new Promise((resolve) => setTimeout(resolve, 10));

  let sent = 0;
  let peak = 0;
  while (hub.size > 1 && sent < 5000) {
    hub.enqueue(event());
    sent++;
    // Let the fan-out run and the good reader read, as a server between writes would.
    await new Promise((resolve) => setTimeout(resolve, 1));
    peak = Math.max(peak, hub.bufferedBytes);
  }
  assert.equal(hub.size, 1, `the slow socket was cut off (after ${sent} events)`);
  assert.ok(peak <= LIMIT + 8 * 1024, `Node held at most the limit plus one frame (peak ${peak})`);
  // Destroyed after the grace: the server holds one socket again (the good reader's).
  while (sockets.size > 1) await new Promise((resolve) => setTimeout(resolve, 20));
  while (received() < sent) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(received(), sent, 'the reader beside it received every event');
  assert.match(text, /^event: live\.ready\n/, 'live.ready first');
  await reader.cancel();
  slow.destroy();
});
