// A small reverse proxy on loopback for the multi-instance tests: round-robin over upstreams,
// request and response bodies streamed (server-sent events pass through unbuffered), the client's
// address forwarded. An upstream that cannot be reached answers 502, as nginx does for a POST
// (it does not retry non-idempotent requests): the client retries with its Idempotency-Key.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface Proxy {
  readonly url: string;
  /** Requests sent to each upstream so far. */
  readonly counts: number[];
  close(): Promise<void>;
}

/** Starts a round-robin proxy to `upstreams` (http://host:port). */
export async function startProxy(upstreams: readonly string[]): Promise<Proxy> {
  const targets = upstreams.map((u) => new URL(u));
  const counts = targets.map(() => 0);
  let next = 0;
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const index = next++ % targets.length;
    const target = targets[index] as URL;
    counts[index] = (counts[index] ?? 0) + 1;
    open.add(res);
    res.once('close', () => open.delete(res));
    const upstream = httpRequest({
      host: target.hostname, port: target.port, method: req.method, path: req.url,
      headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '', 'x-forwarded-proto': 'http' },
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // Each chunk as it comes: an SSE frame must not wait for the next one.
      answer.on('data', (chunk: Buffer) => res.write(chunk));
      answer.on('end', () => res.end());
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
    });
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Gateway', status: 502 }));
      } else {
        res.destroy();
      }
    });
    // The client went away: so does the upstream request (a closed stream frees its connection).
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () => new Promise<void>((resolve) => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
