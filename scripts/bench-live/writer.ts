/**
 * The writer of bench:live: posts events at a fixed rate whatever the answers take (open loop, so
 * a slow acknowledgement shows as latency instead of silently lowering the rate), each with its
 * own Idempotency-Key, and records when each was sent and acknowledged.
 * @module
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where and how to write one event. */
export interface WriteTarget {
  readonly port: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body of event `seq`. */
  body(seq: number): string;
}

/** Send and acknowledgement times (`performance.now()`), NaN when the write failed. */
export interface Writes {
  readonly sentAt: Float64Array;
  readonly ackAt: Float64Array;
  /** Failed writes, with their status or error. */
  readonly failures: string[];
  /** Writes sent a second time after a kept-alive socket was reset. */
  readonly resent: number;
}

/** Posts `count` events at `perSecond`, waiting at most `timeoutMs` for each answer. */
export async function writeEvents(target: WriteTarget, count: number, perSecond: number, runId: string, timeoutMs = 60_000): Promise<Writes> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const sentAt = new Float64Array(count).fill(NaN);
  const ackAt = new Float64Array(count).fill(NaN);
  const failures: string[] = [];
  let resent = 0;
  const one = (seq: number, retry = true) =>
    new Promise<void>((done) => {
      const body = target.body(seq);
      const req = request(
        {
          host: '127.0.0.1', port: target.port, method: 'POST', path: target.path, agent, timeout: timeoutMs,
          headers: { ...target.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': `bench-live-${runId}-${seq}` },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) ackAt[seq] = performance.now();
            else failures.push(`event ${seq}: ${res.statusCode}`);
            done();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      req.on('error', (e: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed just as it was reused: send again, once, as an
        // HTTP client should (the Idempotency-Key makes that safe); the send time stays the first.
        if (retry && req.reusedSocket && e.code === 'ECONNRESET') {
          resent++;
          void one(seq, false).then(done);
        } else {
          failures.push(`event ${seq}: ${e.message}`);
          done();
        }
      });
      if (retry) sentAt[seq] = performance.now();
      req.end(body);
    });
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let seq = 0; seq < count; seq++) {
    // Scheduled from the start, so a late timer does not shift every later write.
    const wait = start + (seq * 1000) / perSecond - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(one(seq));
  }
  await Promise.all(pending);
  agent.destroy();
  return { sentAt, ackAt, failures, resent };
}
