/**
 * The floor of bench:live: a plain node:http server doing the least a live fan-out can do. Any
 * request but `POST /write` opens an event stream and is held; `POST /write` answers at once
 * with the event id, then encodes one frame and writes that same buffer to every open stream.
 * Heartbeat comments go out at the interval Menteo uses, so both carry the same idle traffic.
 *
 * Run as a child process by scripts/bench-live.ts, plain JavaScript on plain Node so nothing
 * but node:http runs in it. Environment: `FLOOR_TEMPLATE` (the JSON of a real Menteo
 * `message.created` event, so frames have the same size), `FLOOR_HEARTBEAT_MS`.
 * Prints its URL on the first line.
 */
import { createServer } from 'node:http';

const template = JSON.parse(process.env.FLOOR_TEMPLATE ?? '{"data":{}}');
const heartbeatMs = Number(process.env.FLOOR_HEARTBEAT_MS ?? 15_000);
/** @type {Set<import('node:http').ServerResponse>} */
const streams = new Set();
let lastId = 0;

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/write') {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const id = ++lastId;
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"${id}"}`);
      const { body } = JSON.parse(raw);
      const event = { ...template, id: String(id), data: { ...template.data, body } };
      const frame = Buffer.from(`id: ${id}\nevent: message.created\ndata: ${JSON.stringify(event)}\n\n`);
      for (const stream of streams) stream.write(frame);
    });
    return;
  }
  req.resume();
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform' });
  res.write('retry: 3000\n: connected\n\n');
  streams.add(res);
  res.on('close', () => streams.delete(res));
});

const heartbeat = Buffer.from(': heartbeat\n\n');
setInterval(() => {
  for (const stream of streams) stream.write(heartbeat);
}, heartbeatMs).unref();

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`floor on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
