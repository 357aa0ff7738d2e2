// A crash campaign: the real server entry in a child process is kill -9'd again and again while
// the real client (@menteo/client: retries, one Idempotency-Key per write reused by every retry)
// writes messages, and is restarted on the same SQLite file and port. Afterwards every write is
// counted in the database: an acknowledged write stored 0 times is lost, any write stored more
// than once is duplicated, and `PRAGMA integrity_check` must say ok.
//
// Used by test/crash.test.ts (a few kills, in npm test) and scripts/crash-soak.ts (many).
// The client is imported from its source by path: a package dependency of the server on the
// client would make a cycle (the client's own tests depend on the server).
import { createClient } from '../../../client/src/index.js';
import { openSqlite } from '../../src/node.js';
import { freePort, integrityCheck, prepareDatabase, startChild, type ChildServer } from './child-server.js';

/** Options of {@link runCrashCampaign}. */
export interface CrashCampaignOptions {
  /** How many times the server is kill -9'd. */
  readonly kills: number;
  /** Concurrent writers. */
  readonly writers: number;
  /** The server runs this long (ms, drawn uniformly) between a restart and the next kill. */
  readonly uptimeMs: readonly [min: number, max: number];
  /** A write that fails after the client's own retries is sent again, same key, this many times. */
  readonly resends?: number;
  /** Progress lines (a kill, a restart). */
  readonly log?: (line: string) => void;
  /** Deterministic randomness for kill times; `Math.random` by default. */
  readonly random?: () => number;
}

/** What a campaign measured. */
export interface CrashFigures {
  readonly kills: number;
  /** Writes started. */
  readonly writes: number;
  /** Writes the client saw answered 201 (first answer or replay). */
  readonly acknowledged: number;
  /** Writes that never got an answer despite every retry and resend. */
  readonly unacknowledged: number;
  /** Answers that were replays (`Idempotent-Replayed`): the write had committed before a kill. */
  readonly replayed: number;
  /** Acknowledged writes not in the database. */
  readonly lost: number;
  /** Writes stored more than once. */
  readonly duplicated: number;
  /** Acknowledged writes whose answer named another row than the one stored. */
  readonly mismatched: number;
  /** `PRAGMA integrity_check`. */
  readonly integrity: string;
  readonly durationMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one campaign on a fresh database; always stops its child server. */
export async function runCrashCampaign(options: CrashCampaignOptions): Promise<CrashFigures> {
  const started = Date.now();
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => {});
  const resends = options.resends ?? 20;
  const prepared = await prepareDatabase();
  const port = await freePort();
  let child: ChildServer | undefined;
  try {
    child = await startChild(prepared.dbPath, port);
    let replayed = 0;
    const client = createClient({
      baseUrl: child.url,
      apiKey: prepared.apiKey,
      // Fast retries: a restart takes about a second, and each write retries across it.
      retry: { limit: 6, baseDelay: 100, maxDelay: 1500 },
      timeout: 5000,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (response.headers.get('idempotent-replayed') === 'true') replayed += 1;
        return response;
      },
    });
    const person = await client.people.create({ displayName: 'Kim Crash' });
    const room = await client.rooms.create({ title: 'Crash room', members: [{ personId: person.id, role: 'mentee' }] });

    let next = 0;
    let stopping = false;
    const acknowledged = new Map<number, string>();
    const unacknowledged = new Set<number>();

    async function write(index: number): Promise<void> {
      const key = `crash-${index}`;
      for (let attempt = 0; attempt <= resends; attempt += 1) {
        try {
          const message = await client.rooms.messages.create(room.id, { body: `crash write #${index}` }, { actAs: person.id, idempotencyKey: key });
          acknowledged.set(index, message.id);
          return;
        } catch {
          // The client gave up (server down longer than its retries): send again with the same key.
          await sleep(200 + random() * 300);
        }
      }
      unacknowledged.add(index);
    }

    const writers = Array.from({ length: options.writers }, async () => {
      while (!stopping) await write(next++);
    });

    for (let kill = 1; kill <= options.kills; kill += 1) {
      const [min, max] = options.uptimeMs;
      await sleep(min + random() * (max - min));
      await child.kill9();
      log(`kill ${kill}/${options.kills} after ${next} writes started (${acknowledged.size} acknowledged)`);
      child = await startChild(prepared.dbPath, port);
    }
    await sleep(options.uptimeMs[0]);
    stopping = true;
    await Promise.all(writers);
    await child.terminate();
    child = undefined;

    const db = openSqlite(prepared.dbPath);
    let lost = 0;
    let duplicated = 0;
    let mismatched = 0;
    try {
      const rows = await db.selectFrom('messages').select(['id', 'body']).where('room_id', '=', room.id).execute();
      const byBody = new Map<string, string[]>();
      for (const row of rows) byBody.set(row.body, [...(byBody.get(row.body) ?? []), row.id]);
      for (const ids of byBody.values()) if (ids.length > 1) duplicated += ids.length - 1;
      for (const [index, id] of acknowledged) {
        const ids = byBody.get(`crash write #${index}`) ?? [];
        if (ids.length === 0) lost += 1;
        else if (!ids.includes(id)) mismatched += 1;
      }
    } finally {
      await db.destroy();
    }
    return {
      kills: options.kills,
      writes: next,
      acknowledged: acknowledged.size,
      unacknowledged: unacknowledged.size,
      replayed,
      lost,
      duplicated,
      mismatched,
      integrity: await integrityCheck(prepared.dbPath),
      durationMs: Date.now() - started,
    };
  } finally {
    await child?.kill9();
    prepared.remove();
  }
}
