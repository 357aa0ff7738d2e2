/**
 * `LiveConnection`: the one live stream of a client (or of the leader tab). It carries a set of
 * topics, each resuming from its own event id, over `POST /v1/live`; topic changes made in one
 * tick become one `POST /v1/live/{id}/topics` call, never a reconnect. After a drop it reconnects
 * with every topic and its since (full-jitter backoff that starts over whenever a connection
 * opened); a silent connection is noticed by a heartbeat watchdog; `live.end` frames say whether
 * to renew the token, give up, or just reconnect.
 * @module
 */
import { ERROR_STATUS, ERROR_TITLES, problemType } from '@menteo/api/errors';
import { openLiveConnection, updateLiveTopics, type LiveControl, type LiveEndReason, type LiveEvent } from '@menteo/api/events';
import { backoffDelay, type BackoffOptions } from '../backoff.js';
import { MenteoApiError, MenteoError, MenteoResponseError, type MenteoErrorCode } from '../errors.js';
import { toMenteoError, type Transport } from '../transport.js';
import { readFrames, topicsOf, Watchdog } from './frames.js';
import type { LiveConnectionOptions, ReconnectInfo, TopicName, TopicWant } from './types.js';

/** What a connection reports to whoever owns it (the hub of a tab, or the leader of several). */
export interface ConnectionEvents {
  /** An event, with the carried topics it belongs to. */
  event(event: LiveEvent, topics: TopicName[]): void;
  /** A topic became active, or was refused or closed (`forbidden`, `not_found`). */
  topic(topic: TopicName, status: 'active' | 'forbidden' | 'not_found'): void;
  /** The connection's state. */
  state(state: 'connecting' | 'open' | 'reconnecting', error?: MenteoError, retry?: ReconnectInfo): void;
  /** Worth reporting, closes nothing (an invalid frame). */
  error(error: MenteoError): void;
  /** The identity may receive nothing any more (revoked, deactivated, sign-in failed): close everything. */
  fatal(error: MenteoError): void;
}

// Errors that reconnecting can fix; anything else (forbidden, not found…) ends the connection.
const TRANSIENT: ReadonlySet<MenteoErrorCode> = new Set<MenteoErrorCode>([
  'network_error', 'timeout', 'rate_limited', 'internal', 'unavailable', 'invalid_response',
]);
/** How long a new stream may stay silent before its `live.ready` arrives. */
const READY_WITHIN_MS = 45_000;
const RENEW: ReadonlySet<LiveEndReason> = new Set<LiveEndReason>(['token_expired', 'credential_changed']);
const IDENTITY_LOST: ReadonlySet<LiveEndReason> = new Set<LiveEndReason>(['token_revoked', 'person_deactivated']);

/** The typed error of a topic the server refused or closed. */
export function topicError(topic: TopicName, status: 'forbidden' | 'not_found'): MenteoApiError {
  const detail = status === 'forbidden'
    ? `You may no longer receive ${topic}.`
    : `${topic} does not exist, or is not visible to you.`;
  return new MenteoApiError({ type: problemType(status), title: ERROR_TITLES[status], status: ERROR_STATUS[status], code: status, detail });
}

function endError(reason: LiveEndReason): MenteoApiError {
  return new MenteoApiError({
    type: problemType('unauthenticated'), title: ERROR_TITLES.unauthenticated, status: ERROR_STATUS.unauthenticated,
    code: 'unauthenticated', detail: `The live connection ended: ${reason.replace('_', ' ')}.`,
  });
}

function idNumber(id: string): number {
  return Number(id);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** One live stream carrying a changing set of topics. */
export class LiveConnection {
  readonly #transport: Transport;
  readonly #events: ConnectionEvents;
  readonly #options: LiveConnectionOptions;
  /** What the owner wants carried, with the since a topic starts from when it is (re)added. */
  readonly #wanted = new Map<TopicName, string | undefined>();
  /** Topics the current connection carries (or has been asked to carry). */
  readonly #carried = new Set<TopicName>();
  /** Topics to remove and add again from an older id (a resumed subscription behind the others). */
  readonly #replays = new Map<TopicName, string>();
  /** The last event id received per topic: where each topic resumes after a drop. */
  readonly #cursor = new Map<TopicName, string>();
  #lastEventId: string | undefined;
  #connectionId: string | undefined;
  #serverRetry: number | undefined;
  #cycle: AbortController | undefined;
  #running = false;
  #closed = false;
  #flushScheduled = false;
  #flushing: Promise<void> | undefined;
  #lingerTimer: ReturnType<typeof setTimeout> | undefined;
  #reauthTried = false;
  /** The last connection ended for a token renewal and no event came since: renew with backoff next time. */
  #renewed = false;
  /** How many HTTP streams this connection has opened (diagnostics and tests). */
  opened = 0;

  constructor(transport: Transport, events: ConnectionEvents, options: LiveConnectionOptions = {}) {
    this.#transport = transport;
    this.#events = events;
    this.#options = options;
  }

  /** The server's id of the open connection, if any. */
  get connectionId(): string | undefined {
    return this.#connectionId;
  }

  /** The topics wanted now. */
  get topics(): TopicName[] {
    return [...this.#wanted.keys()];
  }

  /** Where `topic` stands: the last id received on it. */
  cursor(topic: TopicName): string | undefined {
    return this.#cursor.get(topic);
  }

  /**
   * Carries `topic`, resuming after `since`. A topic already carried from a later point is
   * replayed from `since` (removed and added again), so a subscription that was paused catches up.
   */
  want(topic: TopicName, since: string | undefined): void {
    if (this.#closed) return;
    this.#cancelLinger();
    if (!this.#wanted.has(topic)) {
      this.#wanted.set(topic, since);
      if (since !== undefined) this.#cursor.set(topic, since);
      // Unwanted and wanted again within one tick (a widget that reloaded and subscribes again
      // from its new load's position): the stream still carries it from further on, so events
      // between `since` and there went only to the old subscription. Replay them.
      if (since !== undefined && this.#carried.has(topic) && this.#connectionId !== undefined) this.#replays.set(topic, since);
    } else if (since !== undefined) {
      const at = this.#cursor.get(topic);
      if (at === undefined || idNumber(since) < idNumber(at)) {
        // Not open: the next open starts the topic there. Open, or opening with the later point
        // already sent: the topic is replayed once the connection is ready.
        if (this.#connectionId === undefined) this.#cursor.set(topic, since);
        const pending = this.#replays.get(topic);
        if (pending === undefined || idNumber(since) < idNumber(pending)) this.#replays.set(topic, since);
      }
    }
    this.#schedule();
  }

  /** Stops carrying `topic`. */
  unwant(topic: TopicName): void {
    if (!this.#wanted.delete(topic)) return;
    this.#replays.delete(topic);
    this.#cursor.delete(topic);
    this.#schedule();
  }

  /** Closes the connection for good. */
  close(): void {
    this.#closed = true;
    this.#cancelLinger();
    this.#wanted.clear();
    this.#cycle?.abort();
  }

  #schedule(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // One update per tick, however many subscriptions came and went in it.
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#sync();
    });
  }

  #sync(): void {
    if (this.#closed) return;
    if (this.#wanted.size === 0) {
      if (this.#connectionId !== undefined) void this.#flush();
      this.#startLinger();
      return;
    }
    if (!this.#running) {
      this.#start();
      return;
    }
    if (this.#connectionId !== undefined) void this.#flush();
    // Otherwise the connection is (re)opening: it will open with what is wanted then.
  }

  #startLinger(): void {
    if (this.#lingerTimer !== undefined || !this.#running) return;
    this.#lingerTimer = setTimeout(() => {
      this.#lingerTimer = undefined;
      if (this.#wanted.size === 0) this.#cycle?.abort();
    }, this.#options.lingerMs ?? 2000);
  }

  #cancelLinger(): void {
    if (this.#lingerTimer !== undefined) clearTimeout(this.#lingerTimer);
    this.#lingerTimer = undefined;
  }

  #start(): void {
    if (this.#running || this.#closed) return;
    this.#running = true;
    void this.#run().finally(() => {
      this.#running = false;
      this.#connectionId = undefined;
      this.#carried.clear();
      // Topics wanted again while the loop was winding down.
      if (!this.#closed && this.#wanted.size > 0) this.#start();
    });
  }

  /** Sends the topic changes of the last tick as one update call; one call in flight at a time. */
  async #flush(): Promise<void> {
    if (this.#flushing) {
      await this.#flushing;
      return this.#flush();
    }
    const id = this.#connectionId;
    const cycle = this.#cycle;
    if (id === undefined || !cycle) return;
    const remove = [...this.#carried].filter((t) => !this.#wanted.has(t));
    const replays = [...this.#replays].filter(([t]) => this.#carried.has(t) && this.#wanted.has(t));
    this.#replays.clear();
    const add: TopicWant[] = [...this.#wanted].filter(([t]) => !this.#carried.has(t)).map(([topic]) => this.#want(topic));
    if (remove.length === 0 && add.length === 0 && replays.length === 0) return;
    for (const t of remove) this.#carried.delete(t);
    for (const { topic } of add) this.#carried.add(topic);
    const run = (async () => {
      try {
        // A replay is a remove, then an add from the older id: the server's order within one
        // call is not something to rely on, so these take two calls.
        if (replays.length > 0) {
          await this.#update(id, cycle, [], replays.map(([t]) => t));
          for (const [t, since] of replays) this.#cursor.set(t, since);
          add.push(...replays.map(([topic, since]) => ({ topic, since })));
        }
        await this.#update(id, cycle, add, remove);
      } catch (caught) {
        const error = toMenteoError(caught);
        if (cycle.signal.aborted) return;
        // 404: the server no longer knows this connection (restarted, or another instance
        // answered). Any other failure leaves the topic set uncertain. Either way, reconnect
        // with the full set: that is always correct. Only the unexpected is worth reporting.
        if (error.code !== 'not_found') this.#events.error(error);
        this.#reconnectNow = true;
        cycle.abort();
      }
    })();
    this.#flushing = run;
    try {
      await run;
    } finally {
      this.#flushing = undefined;
    }
  }

  #reconnectNow = false;

  async #update(id: string, cycle: AbortController, add: TopicWant[], remove: TopicName[]): Promise<void> {
    const answer = await this.#transport.request(updateLiveTopics, {
      params: { connectionId: id },
      body: { ...(add.length > 0 ? { add: add.map(clean) } : {}), ...(remove.length > 0 ? { remove } : {}) },
      signal: cycle.signal,
    });
    if (cycle.signal.aborted) return;
    for (const { topic, status } of answer.topics) this.#status(topic, status);
  }

  #status(topic: TopicName, status: 'active' | 'removed' | 'forbidden' | 'not_found'): void {
    if (status === 'removed') return;
    if (status === 'active') {
      if (this.#wanted.has(topic)) this.#events.topic(topic, 'active');
      return;
    }
    this.#carried.delete(topic);
    if (this.#wanted.delete(topic)) {
      this.#cursor.delete(topic);
      this.#events.topic(topic, status);
    }
  }

  #want(topic: TopicName): TopicWant {
    return { topic, since: this.#cursor.get(topic) ?? this.#wanted.get(topic) };
  }

  async #run(): Promise<void> {
    let failures = 0;
    this.#events.state(this.opened === 0 ? 'connecting' : 'reconnecting');
    while (!this.#closed && this.#wanted.size > 0) {
      const cycle = new AbortController();
      this.#cycle = cycle;
      this.#reconnectNow = false;
      let error: MenteoError | undefined;
      let retryAfter: number | undefined;
      let ended: LiveEndReason | undefined;
      const watchdog = new Watchdog((silent) => {
        error = silent;
        cycle.abort();
      });
      try {
        this.#replays.clear();
        const topics = [...this.#wanted.keys()].map((t) => this.#want(t));
        const response = await this.#transport.open(openLiveConnection, {
          body: { topics: topics.map(clean) },
          signal: cycle.signal,
          headers: this.#lastEventId === undefined ? {} : { 'Last-Event-ID': this.#lastEventId },
        });
        if (!response.body) throw new MenteoResponseError('live stream has no body', [], { status: response.status });
        this.opened += 1;
        // Until `live.ready` names the heartbeat, assume a generous one: a stream that never
        // says anything must not hang for ever either.
        watchdog.arm(READY_WITHIN_MS);
        for (const { topic } of topics) this.#carried.add(topic);
        // `live.end` ends the connection at once, whenever the server gets round to closing it.
        const reading = new AbortController();
        const stopReading = () => reading.abort();
        cycle.signal.addEventListener('abort', stopReading, { once: true });
        await readFrames(response.body, reading.signal, {
          event: (event) => {
            this.#reauthTried = false;
            this.#renewed = false;
            this.#lastEventId = event.id;
            const topics = topicsOf(event).filter((t) => this.#wanted.has(t));
            for (const t of topics) this.#cursor.set(t, event.id);
            if (topics.length > 0) this.#events.event(event, topics);
          },
          control: (frame) => {
            const result = this.#control(frame, watchdog);
            if (result === 'opened') failures = 0;
            if (result !== 'opened' && result !== undefined) {
              ended = result;
              reading.abort();
            }
          },
          invalid: (invalid) => this.#events.error(invalid),
          retry: (ms) => {
            this.#serverRetry = ms;
          },
        }, () => watchdog.touch());
        cycle.signal.removeEventListener('abort', stopReading);
        // The server ended the stream without saying why (deploy, proxy): reconnect.
      } catch (caught) {
        if (!cycle.signal.aborted) {
          error = toMenteoError(caught);
          if (!TRANSIENT.has(error.code)) {
            this.#events.fatal(error);
            this.#closeAll();
            return;
          }
          if (error instanceof MenteoApiError && error.retryAfter !== undefined) retryAfter = error.retryAfter * 1000;
        }
      } finally {
        watchdog.stop();
        this.#connectionId = undefined;
        this.#carried.clear();
      }
      if (this.#closed || this.#wanted.size === 0) break;
      if (cycle.signal.aborted && error === undefined && !this.#reconnectNow) break;

      if (ended !== undefined && (IDENTITY_LOST.has(ended) || (RENEW.has(ended) && !this.#renewed))) {
        // A token problem, not a network one: get a new token and reconnect at once.
        const lost = IDENTITY_LOST.has(ended);
        if (lost && this.#reauthTried) {
          this.#events.fatal(endError(ended));
          this.#closeAll();
          return;
        }
        this.#reauthTried = lost;
        this.#renewed = true;
        try {
          await this.#transport.renewCredentials?.();
          continue;
        } catch (caught) {
          this.#events.fatal(toMenteoError(caught));
          this.#closeAll();
          return;
        }
      }
      if (this.#reconnectNow) continue;
      if (error !== undefined) this.#events.error(error);
      failures += 1;
      const delayMs = retryAfter ?? backoffDelay(failures, {
        baseDelay: this.#serverRetry ?? 1000,
        maxDelay: 30_000,
        ...this.#options.backoff,
      });
      this.#events.state('reconnecting', error, { attempt: failures, delayMs });
      const wait = new AbortController();
      this.#cycle = wait;
      await sleep(delayMs, wait.signal);
    }
  }

  /** Handles a control frame; answers `'opened'` on `live.ready`, the reason on `live.end`. */
  #control(frame: LiveControl, watchdog: Watchdog): 'opened' | LiveEndReason | undefined {
    switch (frame.type) {
      case 'live.ready': {
        this.#connectionId = frame.connectionId;
        watchdog.arm(Math.round(frame.heartbeatMs * (this.#options.heartbeatTolerance ?? 2.5)));
        this.#events.state('open');
        for (const { topic, status } of frame.topics) this.#status(topic, status);
        // Changes made while the connection was opening.
        void this.#flush();
        return 'opened';
      }
      case 'live.topic-closed':
        this.#status(frame.topic, frame.status);
        return undefined;
      case 'live.end':
        return frame.reason;
    }
  }

  #closeAll(): void {
    this.#wanted.clear();
    this.#cursor.clear();
    this.#replays.clear();
  }
}

function clean(want: TopicWant): { topic: string; since?: string } {
  return want.since === undefined ? { topic: want.topic } : { topic: want.topic, since: want.since };
}
