/**
 * The live hub: every open connection of this instance, indexed by topic, and the fan-out of
 * committed events to them.
 *
 * - **Off the write path.** `enqueue` only queues; delivery starts on a later turn of the event
 *   loop (after the writer's response went out) and runs in slices of {@link SLICE} deliveries,
 *   so other requests interleave with a large fan-out.
 * - **Encoded once.** An event's frame is one `Uint8Array` written to every connection.
 * - **Synchronous filtering.** A connection holds a snapshot of its credential, and the hub keeps
 *   the room memberships of the people it serves current from `room.updated` events (which carry
 *   the member list), so deciding whether a connection receives an event never queries.
 * - **Bounded.** A connection whose unread bytes exceed `maxBufferedBytes` is cut off
 *   (`live.end` slow_reader); it resumes with Last-Event-ID.
 * - **One timer each** for heartbeats and token expiries, whatever the number of connections.
 * @module
 */
import type { LiveControl, LiveEndReason, TopicStatus } from '@menteo/api/events';
import type { StoredEvent } from './bus.js';
import { LiveConnection, type TopicGrant, type TopicState } from './connection.js';
import { controlFrame, eventFrame, HEARTBEAT } from './frames.js';

/** Post and comment events: what the `feed` topic carries. */
export const FEED_EVENT_TYPES: ReadonlySet<string> = new Set(['post.created', 'post.updated', 'post.deleted', 'comment.created']);

/** Deliveries per turn of the event loop. */
const SLICE = 1_000;
/** Revocations are remembered this long, to end connections whose opening raced them. */
const RECENT_MS = 60_000;
/** Default unread bytes allowed per connection. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

/** A change of access that open connections must honour at once. */
export type AccessChange =
  /** Deactivated: every connection of the person ends (`person_deactivated`). */
  | { readonly kind: 'person_deactivated'; readonly personId: string }
  /** Roles changed (e.g. admin granted or removed): their reading rights changed (`credential_changed`). */
  | { readonly kind: 'person_changed'; readonly personId: string }
  /** A key or token revoked (`token_revoked`). */
  | { readonly kind: 'credential_revoked'; readonly credentialId: string }
  /** A key's scopes changed (`credential_changed`). */
  | { readonly kind: 'credential_changed'; readonly credentialId: string };

/** A topic a client asks for, already parsed. */
export interface TopicRequest {
  readonly wire: string;
  readonly key: string;
  /** Replay this topic's stored events after this id first. */
  readonly since: number | undefined;
}

/** What the hub needs from storage and authorization when topics are added. */
export interface TopicSources {
  /** The grant, or why not. */
  authorize(request: TopicRequest): Promise<TopicGrant | 'forbidden' | 'not_found'>;
  /** Stored events of the topic after `since`, oldest first, bounded. */
  replay(request: TopicRequest, since: number): Promise<StoredEvent[]>;
}

/** Room memberships of one person the hub serves. */
interface PersonRooms {
  rooms: Set<string>;
  /** Connections using this entry. */
  refs: number;
  /** Member lists seen while the memberships were loading, applied after. */
  pending: { roomId: string; members: Set<string> }[] | null;
  /** Settles when the memberships are loaded. */
  ready: Promise<void>;
}

/** One event being delivered, possibly across several turns. */
interface Job {
  readonly event: StoredEvent;
  frame: Uint8Array | null;
  readonly targets: Iterator<LiveConnection>[];
}

type Timer = ReturnType<typeof setTimeout>;

function unref(timer: Timer): Timer {
  if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function') timer.unref();
  return timer;
}

/** Runs `fn` after pending I/O callbacks (the writer's response) rather than before. */
const later: (fn: () => void) => void = typeof setImmediate === 'function' ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0);

/**
 * The index key of a wire topic: `feed` is per organization, `me` per person (`me:` for a caller
 * who is no person, an API key, whose `me` is refused and so never indexed for long).
 */
export function topicKey(wire: string, orgId: string, personId: string | null): string {
  if (wire === 'me') return `me:${personId ?? ''}`;
  return wire === 'feed' ? `feed:${orgId}` : wire;
}

/** Options of a {@link LiveHub}. */
export interface HubOptions {
  /** Unread bytes a connection may accumulate before it is cut off; 1 MiB by default. */
  readonly maxBufferedBytes?: number;
}

/** The connections of one instance and the fan-out to them. */
export class LiveHub {
  readonly maxBufferedBytes: number;
  readonly #connections = new Map<string, LiveConnection>();
  readonly #byTopic = new Map<string, Set<LiveConnection>>();
  readonly #byCredential = new Map<string, Set<LiveConnection>>();
  /** Token connections by the API key that minted the token: revoking the key ends them. */
  readonly #byMintingKey = new Map<string, Set<LiveConnection>>();
  readonly #byPerson = new Map<string, Set<LiveConnection>>();
  readonly #people = new Map<string, PersonRooms>();
  readonly #recent = new Map<string, number>();
  /** Connections counted in their person's {@link PersonRooms}. */
  readonly #tracked = new WeakSet<LiveConnection>();
  #queue: StoredEvent[] = [];
  #job: Job | null = null;
  #scheduled = false;
  #heartbeat: ReturnType<typeof setInterval> | null = null;
  #heartbeatMs = 15_000;
  /** Connections by expiry, earliest first (a binary heap); one timer for the earliest. */
  #expiries: { at: number; connection: LiveConnection }[] = [];
  #expiryTimer: Timer | null = null;
  #expiryAt = Infinity;
  /** The largest event id enqueued: topics added without `since` carry what comes after it. */
  lastEnqueuedId = 0;

  constructor(options: HubOptions = {}) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  }

  /** Open connections. */
  get size(): number {
    return this.#connections.size;
  }

  /** Unread bytes across connections (queued for the network, or held during a replay). */
  get bufferedBytes(): number {
    let n = 0;
    for (const c of this.#connections.values()) n += c.sink.buffered() + c.heldBytes;
    return n;
  }

  /** The open connection with this id, if it belongs to this credential. */
  connection(id: string, credentialId: string): LiveConnection | undefined {
    const c = this.#connections.get(id);
    return c && !c.closed && c.principal.credentialId === credentialId ? c : undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Registration
  // ------------------------------------------------------------------------------------------

  /**
   * Registers a connection (before its topics are authorized or replayed, so no event falls in
   * between) and loads its person's memberships with `loadRooms` when it needs them. Answers
   * false when the connection was ended at once (its credential was revoked while it opened).
   */
  async register(c: LiveConnection, heartbeatMs: number, loadRooms: (personId: string) => Promise<readonly string[]>): Promise<boolean> {
    this.#heartbeatMs = heartbeatMs;
    this.#connections.set(c.id, c);
    addTo(this.#byCredential, c.principal.credentialId, c);
    // A token's connections end with the key that minted it, too.
    if (c.principal.mintedBy !== null) addTo(this.#byMintingKey, c.principal.mintedBy, c);
    const personId = c.principal.personId;
    if (personId !== null) addTo(this.#byPerson, personId, c);
    c.replays++;
    c.held ??= [];
    this.#startTimers();
    const raced = this.#revokedSince(c);
    if (raced) {
      this.end(c, raced);
      return false;
    }
    if (c.principal.expiresAt !== null) this.#addExpiry(c, c.principal.expiresAt);
    if (personId !== null && !c.principal.orgWide) {
      let entry = this.#people.get(personId);
      if (!entry) {
        const created: PersonRooms = { rooms: new Set(), refs: 0, pending: [], ready: Promise.resolve() };
        created.ready = (async () => {
          try {
            for (const r of await loadRooms(personId)) created.rooms.add(r);
          } catch (error) {
            if (this.#people.get(personId) === created) this.#people.delete(personId);
            throw error;
          } finally {
            for (const p of created.pending ?? []) applyMembers(created, personId, p.roomId, p.members);
            created.pending = null;
          }
        })();
        this.#people.set(personId, created);
        entry = created;
      }
      entry.refs++;
      this.#tracked.add(c);
      try {
        await entry.ready;
      } catch (error) {
        this.end(c, null);
        throw error;
      }
    }
    this.#release(c);
    return !c.closed;
  }

  /**
   * Adds topics: indexes them first (live events are held meanwhile), authorizes each, replays
   * those with `since`, then goes live. `beforeReplay` writes what must precede the replay
   * (`live.ready`). Answers each topic's status, in the order asked.
   */
  async addTopics(c: LiveConnection, requests: readonly TopicRequest[], sources: TopicSources, beforeReplay?: (statuses: TopicStatus[]) => void): Promise<TopicStatus[]> {
    // A connection that ended (the client left while it opened) must not be indexed again.
    if (c.closed) return requests.map((r) => ({ topic: r.wire as TopicStatus['topic'], status: 'not_found' }));
    c.replays++;
    c.held ??= [];
    try {
      const statuses: { request: TopicRequest; state: TopicState | null; status: TopicStatus['status'] }[] = [];
      for (const request of requests) {
        const existing = c.topics.get(request.key);
        if (existing) {
          statuses.push({ request, state: null, status: existing.grant ? 'active' : 'not_found' });
          continue;
        }
        const state: TopicState = { wire: request.wire, key: request.key, grant: null, coveredAfter: request.since ?? this.lastEnqueuedId };
        c.topics.set(request.key, state);
        addTo(this.#byTopic, request.key, c);
        statuses.push({ request, state, status: 'active' });
      }
      for (const s of statuses) {
        if (!s.state) continue;
        const grant = c.closed ? 'not_found' : await sources.authorize(s.request);
        if (typeof grant === 'string') {
          s.status = grant;
          this.#dropTopic(c, s.state);
        } else if (c.topics.get(s.request.key) === s.state) {
          s.state.grant = grant;
        } else {
          s.status = 'forbidden';
        }
      }
      const answer = statuses.map((s) => ({ topic: s.request.wire as TopicStatus['topic'], status: s.status }));
      if (c.closed) return answer;
      beforeReplay?.(answer);
      const replaying = statuses.filter((s) => s.state?.grant && s.request.since !== undefined);
      if (replaying.length > 0) {
        const batches = await Promise.all(replaying.map((s) => sources.replay(s.request, s.request.since ?? 0)));
        const batchKeys = new Set(replaying.map((s) => s.request.key));
        const byId = new Map<number, StoredEvent>();
        for (const e of batches.flat()) byId.set(e.id, e);
        const events = [...byId.values()].sort((a, b) => a.id - b.id);
        for (const e of events) {
          if (c.closed) break;
          // An event another topic of this connection already carried is not sent twice.
          if (this.#carriedElsewhere(c, e, batchKeys)) continue;
          if (!this.#accepts(c, e)) continue;
          // A replay is up to REPLAY_LIMIT events: wait for the reader rather than cut it off.
          if (c.sink.buffered() > this.maxBufferedBytes / 2) await this.#drained(c);
          this.#write(c, eventFrame(e));
        }
        // Held live events that the replay already covered are dropped by id, and so are those
        // still to arrive (an event's live delivery can trail its commit).
        if (c.held) c.held = c.held.filter((e) => !byId.has(e.id));
        const last = events[events.length - 1];
        const floor = this.#pendingFloor();
        if (last && last.id >= floor) {
          const ids = new Set<number>();
          for (const id of [...(c.replayed?.ids ?? []), ...byId.keys()]) if (id >= floor) ids.add(id);
          c.replayed = { ids, max: Math.max(last.id, c.replayed?.max ?? 0) };
        }
      }
      return answer;
    } finally {
      this.#release(c);
    }
  }

  /** Removes topics (status `removed`). */
  removeTopics(c: LiveConnection, wires: readonly string[]): TopicStatus[] {
    return wires.map((wire) => {
      const state = c.topics.get(topicKey(wire, c.principal.orgId, c.principal.personId));
      if (state) this.#dropTopic(c, state);
      return { topic: wire as TopicStatus['topic'], status: 'removed' };
    });
  }

  /** Writes a control frame to a multiplexed connection (legacy streams carry none). */
  control(c: LiveConnection, control: LiveControl): void {
    if (!c.legacy && !c.closed) this.#write(c, controlFrame(control));
  }

  /** Ends a connection: `live.end` with the reason (multiplexed only), then the stream ends. Null: the client went away. */
  end(c: LiveConnection, reason: LiveEndReason | null): void {
    if (c.closed) return;
    if (reason !== null && !c.legacy) {
      try {
        c.sink.write(controlFrame({ type: 'live.end', reason }));
      } catch {
        // The stream is gone already.
      }
    }
    c.closed = true;
    c.held = null;
    c.heldBytes = 0;
    if (reason !== null) c.sink.end();
    this.#connections.delete(c.id);
    for (const state of c.topics.values()) removeFrom(this.#byTopic, state.key, c);
    removeFrom(this.#byCredential, c.principal.credentialId, c);
    if (c.principal.mintedBy !== null) removeFrom(this.#byMintingKey, c.principal.mintedBy, c);
    const personId = c.principal.personId;
    if (personId !== null) {
      removeFrom(this.#byPerson, personId, c);
      const entry = this.#people.get(personId);
      if (entry && this.#tracked.has(c)) {
        this.#tracked.delete(c);
        if (--entry.refs <= 0) this.#people.delete(personId);
      }
    }
    if (this.#connections.size === 0) this.#stopTimers();
  }

  /** Ends every connection (`live.end` shutdown). The hub stays usable. */
  close(): void {
    for (const c of [...this.#connections.values()]) this.end(c, 'shutdown');
    this.#queue = [];
    this.#job = null;
    this.#stopTimers();
  }

  // ------------------------------------------------------------------------------------------
  // Access changes
  // ------------------------------------------------------------------------------------------

  /**
   * Told of every access change made on this instance (the bus shares it with the other
   * instances, and with caches that must forget the credential).
   */
  onAccessChange: ((change: AccessChange) => void) | null = null;

  /** Applies an access change made on this instance to open connections, at once, and passes it on. */
  accessChanged(change: AccessChange): void {
    this.applyAccessChange(change);
    this.onAccessChange?.(change);
  }

  /** Applies an access change to open connections, at once (one made elsewhere: nothing is passed on). */
  applyAccessChange(change: AccessChange): void {
    const now = Date.now();
    this.#pruneRecent(now);
    if (change.kind === 'person_deactivated' || change.kind === 'person_changed') {
      const reason: LiveEndReason = change.kind === 'person_deactivated' ? 'person_deactivated' : 'credential_changed';
      this.#recent.set(`person-reason:${change.personId}:${reason}`, now);
      // Only tokens are indexed by person: an API key reads as the organization, whoever it acts as.
      for (const c of [...(this.#byPerson.get(change.personId) ?? [])]) this.end(c, reason);
    } else {
      const reason: LiveEndReason = change.kind === 'credential_revoked' ? 'token_revoked' : 'credential_changed';
      this.#recent.set(`cred-reason:${change.credentialId}:${reason}`, now);
      for (const c of [...(this.#byCredential.get(change.credentialId) ?? [])]) this.end(c, reason);
      if (change.kind === 'credential_revoked') for (const c of [...(this.#byMintingKey.get(change.credentialId) ?? [])]) this.end(c, reason);
    }
  }

  /** A revocation recorded after this connection's request started: its credential check may have raced it. */
  #revokedSince(c: LiveConnection): LiveEndReason | null {
    const at = c.principal.openedAt;
    const checks: [string, LiveEndReason][] = [
      [`cred-reason:${c.principal.credentialId}:token_revoked`, 'token_revoked'],
      [`cred-reason:${c.principal.credentialId}:credential_changed`, 'credential_changed'],
    ];
    if (c.principal.mintedBy !== null) checks.push([`cred-reason:${c.principal.mintedBy}:token_revoked`, 'token_revoked']);
    if (c.principal.personId !== null) {
      checks.push([`person-reason:${c.principal.personId}:person_deactivated`, 'person_deactivated']);
      checks.push([`person-reason:${c.principal.personId}:credential_changed`, 'credential_changed']);
    }
    for (const [key, reason] of checks) {
      const when = this.#recent.get(key);
      if (when !== undefined && when >= at) return reason;
    }
    return null;
  }

  #pruneRecent(now: number): void {
    for (const [key, at] of this.#recent) if (now - at > RECENT_MS) this.#recent.delete(key);
  }

  // ------------------------------------------------------------------------------------------
  // Fan-out
  // ------------------------------------------------------------------------------------------

  /** Queues a committed event for delivery; returns at once (the writer is not kept waiting). */
  enqueue(event: StoredEvent): void {
    if (event.id > this.lastEnqueuedId) this.lastEnqueuedId = event.id;
    if (this.#connections.size === 0 && this.#people.size === 0) return;
    this.#queue.push(event);
    this.#schedule();
  }

  /**
   * The smallest id the hub may still offer: the event being delivered, else the first queued,
   * else the next to arrive (events arrive in id order: commit order on SQLite, and on PostgreSQL
   * too, where event writers take one lock until they commit; see store.ts).
   */
  #pendingFloor(): number {
    return this.#job?.event.id ?? this.#queue[0]?.id ?? this.lastEnqueuedId + 1;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    later(() => {
      this.#scheduled = false;
      this.#drain();
    });
  }

  /** Delivers up to {@link SLICE} times, then yields to the event loop. */
  #drain(): void {
    let budget = SLICE;
    while (budget > 0) {
      if (!this.#job) {
        const event = this.#queue.shift();
        if (!event) return;
        this.#job = this.#startJob(event);
      }
      const job = this.#job;
      let done = true;
      for (const it of job.targets) {
        let step = it.next();
        while (!step.done) {
          this.#offer(step.value, job);
          if (--budget === 0) break;
          step = it.next();
        }
        if (budget === 0) {
          done = false;
          break;
        }
      }
      if (done) this.#job = null;
    }
    this.#schedule();
  }

  #startJob(event: StoredEvent): Job {
    // Membership first: a member removed by this very event must not receive it.
    if (event.type === 'room.updated' && event.roomId !== null) this.#roomUpdated(event);
    const sets: Set<LiveConnection>[] = [];
    const add = (key: string) => {
      const set = this.#byTopic.get(key);
      if (set && set.size > 0) sets.push(set);
    };
    // An event addressed to one person reaches their `me` topic and nothing else.
    if (event.personId !== null) {
      add(`me:${event.personId}`);
      return { event, frame: null, targets: sets.map((s) => s.values()) };
    }
    if (event.roomId !== null) add(`room:${event.roomId}`);
    if (event.threadId !== null) add(`thread:${event.threadId}`);
    if (FEED_EVENT_TYPES.has(event.type)) add(`feed:${event.orgId}`);
    return { event, frame: null, targets: sets.map((s) => s.values()) };
  }

  /** Offers one event to one connection (once, although it may be reached through several topics). */
  #offer(c: LiveConnection, job: Job): void {
    const e = job.event;
    if (c.closed || c.lastOffered === e.id) return;
    c.lastOffered = e.id;
    if (c.replayed) {
      if (e.id > c.replayed.max) c.replayed = null;
      else if (c.replayed.ids.has(e.id)) return;
    }
    if (c.held) {
      c.held.push(e);
      c.heldBytes += e.json.length + 64;
      if (c.heldBytes > this.maxBufferedBytes) this.end(c, 'slow_reader');
      return;
    }
    if (!this.#accepts(c, e)) return;
    job.frame ??= eventFrame(e);
    this.#write(c, job.frame);
  }

  /** Waits until the reader took half its buffer; one that takes nothing for 30 s is cut off. */
  async #drained(c: LiveConnection): Promise<void> {
    for (let waited = 0; !c.closed && c.sink.buffered() > this.maxBufferedBytes / 2; waited += 10) {
      if (waited > 30_000) {
        this.end(c, 'slow_reader');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Writes bytes, cutting off a reader past its buffer; a transport that fails ends only its connection. */
  #write(c: LiveConnection, bytes: Uint8Array): void {
    if (c.closed) return;
    let buffered: number;
    try {
      buffered = c.sink.write(bytes);
    } catch {
      this.end(c, null);
      return;
    }
    if (buffered > this.maxBufferedBytes) this.end(c, 'slow_reader');
  }

  /** Ends a replay: held live events go out in order, then the connection is live. */
  #release(c: LiveConnection): void {
    if (--c.replays > 0 || c.closed) return;
    const held = c.held ?? [];
    c.held = null;
    c.heldBytes = 0;
    for (const e of held) {
      if (c.closed) return;
      if (this.#accepts(c, e)) this.#write(c, eventFrame(e));
    }
  }

  /** True when one of the connection's active topics carries the event and lets this reader see it. */
  #accepts(c: LiveConnection, e: StoredEvent): boolean {
    const p = c.principal;
    if (e.orgId !== p.orgId) return false;
    if (e.personId !== null) return p.kind === 'token' && p.personId === e.personId && c.topics.get(`me:${e.personId}`)?.grant != null;
    if (e.roomId !== null) {
      const room = c.topics.get(`room:${e.roomId}`);
      if (room?.grant && this.#readsRoom(c, e.roomId)) return true;
    }
    if (e.threadId !== null) {
      const thread = c.topics.get(`thread:${e.threadId}`);
      if (thread?.grant && this.#readsAudience(c, e)) return true;
    }
    if (FEED_EVENT_TYPES.has(e.type)) {
      const feed = c.topics.get(`feed:${e.orgId}`);
      if (feed?.grant && this.#readsAudience(c, e)) return true;
    }
    return false;
  }

  #readsRoom(c: LiveConnection, roomId: string): boolean {
    const p = c.principal;
    if (p.roomIds !== null && !p.roomIds.has(roomId)) return false;
    if (p.orgWide) return true;
    return p.personId !== null && (this.#people.get(p.personId)?.rooms.has(roomId) ?? false);
  }

  /** Post and comment events of audience `room` reach only that room's readers. */
  #readsAudience(c: LiveConnection, e: StoredEvent): boolean {
    if (e.audience !== 'room') return true;
    return e.roomId !== null && this.#readsRoom(c, e.roomId);
  }

  /** Whether a topic outside `batch`, already carried before `e`, has sent it. */
  #carriedElsewhere(c: LiveConnection, e: StoredEvent, batch: ReadonlySet<string>): boolean {
    const keys: string[] = [];
    if (e.personId !== null) keys.push(`me:${e.personId}`);
    else if (e.roomId !== null) keys.push(`room:${e.roomId}`);
    if (e.threadId !== null) keys.push(`thread:${e.threadId}`);
    if (FEED_EVENT_TYPES.has(e.type)) keys.push(`feed:${e.orgId}`);
    return keys.some((k) => {
      if (batch.has(k)) return false;
      const t = c.topics.get(k);
      return t?.grant != null && t.coveredAfter < e.id;
    });
  }

  #dropTopic(c: LiveConnection, state: TopicState): void {
    if (c.topics.get(state.key) !== state) return;
    c.topics.delete(state.key);
    removeFrom(this.#byTopic, state.key, c);
  }

  /** Access to a topic was lost: `live.topic-closed`; a legacy stream (one topic) ends. */
  #closeTopic(c: LiveConnection, state: TopicState, status: 'forbidden' | 'not_found'): void {
    this.#dropTopic(c, state);
    if (c.legacy) {
      this.end(c, 'credential_changed');
      return;
    }
    this.control(c, { type: 'live.topic-closed', topic: state.wire as TopicStatus['topic'], status });
  }

  // ------------------------------------------------------------------------------------------
  // Memberships
  // ------------------------------------------------------------------------------------------

  /** A room's member list changed (or was re-sent): update the people this hub serves. */
  #roomUpdated(e: StoredEvent): void {
    if (this.#people.size === 0 || e.roomId === null) return;
    let members: Set<string>;
    try {
      const data = (JSON.parse(e.json) as { data?: { members?: { person?: { id?: unknown } }[] } }).data;
      members = new Set((data?.members ?? []).map((m) => String(m.person?.id)));
    } catch {
      return;
    }
    for (const [personId, entry] of this.#people) {
      if (entry.pending) {
        entry.pending.push({ roomId: e.roomId, members });
        continue;
      }
      const had = entry.rooms.has(e.roomId);
      applyMembers(entry, personId, e.roomId, members);
      if (had && !entry.rooms.has(e.roomId)) this.#roomLost(personId, e.roomId);
    }
  }

  /** The person left a room: its topic closes, and so do thread topics there they may no longer read. */
  #roomLost(personId: string, roomId: string): void {
    for (const c of [...(this.#byPerson.get(personId) ?? [])]) {
      if (c.principal.orgWide || c.closed) continue;
      for (const state of [...c.topics.values()]) {
        if (c.closed) break;
        const g = state.grant;
        if (g?.kind === 'room' && g.roomId === roomId) this.#closeTopic(c, state, 'forbidden');
        else if (g?.kind === 'thread' && g.roomId === roomId && g.authorId !== personId) this.#closeTopic(c, state, 'forbidden');
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Timers: one heartbeat for all connections, one timer for the earliest expiry
  // ------------------------------------------------------------------------------------------

  #startTimers(): void {
    if (this.#heartbeat === null) {
      this.#heartbeat = setInterval(() => this.#beat(), this.#heartbeatMs);
      unref(this.#heartbeat as unknown as Timer);
    }
  }

  #stopTimers(): void {
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    if (this.#expiryTimer !== null) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = null;
    this.#expiryAt = Infinity;
    this.#expiries = [];
  }

  #beat(): void {
    for (const c of [...this.#connections.values()]) {
      if (!c.held) this.#write(c, HEARTBEAT);
    }
  }

  #addExpiry(c: LiveConnection, at: number): void {
    heapPush(this.#expiries, { at, connection: c });
    this.#armExpiry();
  }

  #armExpiry(): void {
    const next = this.#expiries[0];
    if (!next || next.at >= this.#expiryAt) return;
    if (this.#expiryTimer !== null) clearTimeout(this.#expiryTimer);
    this.#expiryAt = next.at;
    // setTimeout takes at most 2^31-1 ms; a later expiry re-arms when this fires.
    const delay = Math.min(Math.max(0, next.at - Date.now()), 2_147_483_647);
    this.#expiryTimer = unref(setTimeout(() => this.#expire(), delay));
  }

  #expire(): void {
    this.#expiryTimer = null;
    this.#expiryAt = Infinity;
    const now = Date.now();
    while (this.#expiries[0] && this.#expiries[0].at <= now) {
      const { connection } = heapPop(this.#expiries) as { connection: LiveConnection };
      this.end(connection, 'token_expired');
    }
    this.#armExpiry();
  }
}

/** Applies a room's member list to one person's memberships. */
function applyMembers(entry: PersonRooms, personId: string, roomId: string, members: ReadonlySet<string>): void {
  if (members.has(personId)) entry.rooms.add(roomId);
  else entry.rooms.delete(roomId);
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

type Entry = { at: number; connection: LiveConnection };

function heapPush(heap: Entry[], entry: Entry): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as Entry).at <= entry.at) break;
    heap[i] = heap[parent] as Entry;
    i = parent;
  }
  heap[i] = entry;
}

function heapPop(heap: Entry[]): Entry | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || !last) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    let mAt = last.at;
    if (l < heap.length && (heap[l] as Entry).at < mAt) {
      m = l;
      mAt = (heap[l] as Entry).at;
    }
    if (r < heap.length && (heap[r] as Entry).at < mAt) m = r;
    if (m === i) break;
    heap[i] = heap[m] as Entry;
    i = m;
  }
  heap[i] = last;
  return top;
}
