/**
 * Sharing one live connection between the tabs of a browser. Tabs signed in as the same person
 * with the same grant (scopes and room limit) form a group: they ask Web Locks for the same lock,
 * and the tab holding it (the leader) holds the connection, carrying the union of every tab's
 * topics. The others (followers) announce their topics and receive frames over a
 * BroadcastChannel. When the leader's tab goes away its lock passes to a waiting tab, which
 * becomes the leader and reconnects with every tab's topics and each one's resume point.
 *
 * Tokens never cross the channel: only topics, events, statuses and plain error fields do.
 * @module
 */
import { getMe } from '@menteo/api/auth';
import { isErrorCode, problemType, ERROR_TITLES } from '@menteo/api/errors';
import { LiveEvent } from '@menteo/api/events';
import { MenteoApiError, MenteoError, type MenteoErrorCode } from '../errors.js';
import type { Transport } from '../transport.js';
import { LiveConnection, type ConnectionEvents } from './connection.js';
import type { Carrier } from './hub.js';
import type { ReconnectInfo, TabLocks, TopicName, TopicWant } from './types.js';

/** An error as it crosses the channel (class instances do not survive structured cloning). */
interface WireError {
  code: string;
  message: string;
  status: number;
}

/** Messages on the channel. `to` addresses one tab; without it, every tab. */
type TabMessage =
  | { t: 'topics'; from: string; topics: TopicWant[] }
  | { t: 'bye'; from: string }
  | { t: 'leader'; from: string }
  | { t: 'welcome'; from: string; to: string; open: boolean; active: TopicName[] }
  | { t: 'event'; from: string; event: unknown; topics: TopicName[] }
  | { t: 'topic'; from: string; topic: TopicName; status: 'active' | 'forbidden' | 'not_found' }
  | { t: 'state'; from: string; state: 'connecting' | 'open' | 'reconnecting'; error?: WireError | undefined; retry?: ReconnectInfo | undefined }
  | { t: 'error'; from: string; error: WireError }
  | { t: 'fatal'; from: string; error: WireError };

/** The page's own events, where there is a page (looked up at run time: importing touches no `window`). */
interface PageEvents {
  addEventListener?(type: 'pagehide' | 'pageshow', listener: (event: { persisted?: boolean }) => void): void;
  removeEventListener?(type: 'pagehide' | 'pageshow', listener: (event: { persisted?: boolean }) => void): void;
}

function toWire(error: MenteoError): WireError {
  return { code: error.code, message: error.message, status: error.status };
}

function fromWire(wire: WireError): MenteoError {
  if (isErrorCode(wire.code)) {
    return new MenteoApiError({ type: problemType(wire.code), title: ERROR_TITLES[wire.code], status: wire.status, code: wire.code, detail: wire.message });
  }
  return new MenteoError(wire.code as MenteoErrorCode, wire.message, { status: wire.status });
}

function sorted(values: readonly string[] | null): string {
  return values === null ? '*' : [...values].sort().join(',');
}

/**
 * Which tabs may share: the same server, the same person, the same grant. Two tabs of one person
 * with different scopes or room limits must not share, or one would receive what only the other
 * may see. The token exchange answers no grant, so `GET /v1/me` says what it is.
 */
export function groupKey(transport: Transport): Promise<string> {
  // Asked once per client: a tab that hides and shows again rejoins without another request.
  let key = keys.get(transport);
  if (!key) {
    key = transport.request(getMe, {}).then((me) =>
      ['menteo-live', String(transport.options.baseUrl).replace(/\/$/, ''), me.organization.id, me.person?.id ?? '-', sorted(me.scopes), sorted(me.roomIds)].join('|'));
    keys.set(transport, key);
    key.catch(() => keys.delete(transport));
  }
  return key;
}

const keys = new WeakMap<Transport, Promise<string>>();

/** This tab's share of a connection that one tab of its group holds. */
export class TabCarrier implements Carrier {
  readonly #transport: Transport;
  readonly #hub: ConnectionEvents;
  readonly #locks: TabLocks;
  readonly #onIdle: () => boolean;
  readonly #id = globalThis.crypto.randomUUID();
  /** This tab's topics and where each resumes (its last event id, or the since it was asked for). */
  readonly #mine = new Map<TopicName, string | undefined>();
  #channel: BroadcastChannel | undefined;
  #starting: Promise<void> | undefined;
  #release: (() => void) | undefined;
  readonly #stop = new AbortController();
  #closed = false;
  #announceScheduled = false;
  /** Follower: resume points asked for since the last announcement (new or resumed topics). */
  readonly #fresh = new Map<TopicName, string>();
  /** Follower: the next announcement carries every topic's resume point (a new leader asked). */
  #announceAll = false;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Leader only. */
  #connection: LiveConnection | undefined;
  /** Leader only: every tab's topics (this tab's under its own id). */
  readonly #tabs = new Map<string, Map<TopicName, string | undefined>>();
  readonly #active = new Set<TopicName>();
  #open = false;
  /** Follower: the tab that last said it leads. */
  #leader: string | undefined;

  constructor(transport: Transport, hub: ConnectionEvents, locks: TabLocks, onIdle: () => boolean) {
    this.#transport = transport;
    this.#hub = hub;
    this.#locks = locks;
    this.#onIdle = onIdle;
  }

  /** Whether this tab holds the connection. */
  get leading(): boolean {
    return this.#connection !== undefined;
  }

  /** The connection, when this tab leads. */
  get connection(): LiveConnection | undefined {
    return this.#connection;
  }

  want(topic: TopicName, since: string | undefined): void {
    if (this.#closed) return;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const had = this.#mine.has(topic);
    if (!had || since !== undefined) this.#mine.set(topic, since ?? this.#mine.get(topic));
    this.#starting ??= this.#start();
    if (this.#connection) this.#leaderSet(this.#id, this.#mine, since === undefined ? undefined : new Map([[topic, since]]));
    else {
      if (since !== undefined) this.#fresh.set(topic, since);
      this.#scheduleAnnounce();
    }
  }

  unwant(topic: TopicName): void {
    if (!this.#mine.delete(topic)) return;
    if (this.#connection) this.#leaderSet(this.#id, this.#mine);
    else this.#scheduleAnnounce();
    if (this.#mine.size === 0) {
      // Let go of the group after a while without topics, like a connection's linger.
      this.#idleTimer = setTimeout(() => {
        if (this.#mine.size === 0 && this.#onIdle()) this.close();
      }, this.#transport.options.live?.lingerMs ?? 2000);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#connection?.close();
    this.#connection = undefined;
    this.#post({ t: 'bye', from: this.#id });
    this.#stop.abort();
    this.#release?.();
    this.#channel?.close();
    const page = globalThis as PageEvents;
    page.removeEventListener?.('pagehide', this.#onPageHide);
    page.removeEventListener?.('pageshow', this.#onPageShow);
  }

  /**
   * A closing tab says so, so the leader drops its topics at once (a leader's lock is released by
   * the browser itself). Tabs that vanish without a word (a crash) leave their topics carried
   * until the leader changes: harmless, as every tab of the group may read them.
   */
  readonly #onPageHide = (): void => {
    this.#post({ t: 'bye', from: this.#id });
  };

  /** A page restored from the back-forward cache announces its topics again. */
  readonly #onPageShow = (event: { persisted?: boolean }): void => {
    if (!event.persisted || this.#connection) return;
    this.#announceAll = true;
    this.#scheduleAnnounce();
  };

  async #start(): Promise<void> {
    let key: string;
    try {
      key = await groupKey(this.#transport);
    } catch (error) {
      // Not signed in (or the server is away): sharing cannot be arranged, and a connection of
      // our own would fail the same way. Report through the hub as a connection would.
      const failure = error instanceof MenteoError ? error : new MenteoError('network_error', String(error));
      if (failure.code === 'network_error' || failure.code === 'timeout' || failure.code === 'unavailable') {
        this.#hub.state('reconnecting', failure);
        this.#starting = undefined;
        setTimeout(() => {
          if (!this.#closed && this.#mine.size > 0) this.#starting ??= this.#start();
        }, 1000);
        return;
      }
      this.#hub.fatal(failure);
      return;
    }
    if (this.#closed) return;
    const channel = new BroadcastChannel(key);
    this.#channel = channel;
    channel.onmessage = (message: MessageEvent<TabMessage>) => this.#receive(message.data);
    const page = globalThis as PageEvents;
    page.addEventListener?.('pagehide', this.#onPageHide);
    page.addEventListener?.('pageshow', this.#onPageShow);
    this.#hub.state('connecting');
    this.#scheduleAnnounce();
    void this.#locks.request(key, { signal: this.#stop.signal }, () => this.#lead()).catch(() => {
      // Aborted while waiting: this tab closed before it led. Anything else is a refusal (Chromium
      // denies Web Locks to partitioned cross-site frames, such as an LMS launch): this tab cannot
      // join a group, so it leaves the channel and keeps a connection of its own.
      if (this.#closed || this.#stop.signal.aborted) return;
      this.#channel?.close();
      this.#channel = undefined;
      void this.#lead();
    });
  }

  /** Runs while this tab holds the lock: the returned promise settles when it lets go. */
  #lead(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const held = new Promise<void>((resolve) => {
      this.#release = resolve;
    });
    const connection = new LiveConnection(this.#transport, this.#leaderEvents, this.#transport.options.live);
    this.#connection = connection;
    this.#tabs.clear();
    this.#leaderSet(this.#id, this.#mine);
    // Followers answer with their topics and resume points.
    this.#post({ t: 'leader', from: this.#id });
    return held;
  }

  /** Leader: one tab's full topic set changed; `replays` are topics it asks to resume from older ids. */
  #leaderSet(tab: string, topics: ReadonlyMap<TopicName, string | undefined>, replays?: ReadonlyMap<TopicName, string>): void {
    const connection = this.#connection;
    if (!connection) return;
    const before = new Set(this.#union().keys());
    if (topics.size === 0) this.#tabs.delete(tab);
    else this.#tabs.set(tab, new Map(topics));
    const after = this.#union();
    for (const topic of before) if (!after.has(topic)) connection.unwant(topic);
    for (const [topic, since] of after) {
      if (!before.has(topic)) connection.want(topic, since);
      else if (replays?.has(topic)) connection.want(topic, replays.get(topic));
      // A follower's resume point for a topic already carried: it was paused, or the leader is new.
      else if (tab !== this.#id && topics.get(topic) !== undefined) connection.want(topic, topics.get(topic));
    }
  }

  /** Leader: every tab's topics, each with the oldest resume point any tab needs. */
  #union(): Map<TopicName, string | undefined> {
    const union = new Map<TopicName, string | undefined>();
    for (const topics of this.#tabs.values()) {
      for (const [topic, since] of topics) {
        // The oldest point any tab needs; the tabs further on drop what they already have.
        const at = union.get(topic);
        if (!union.has(topic) || (since !== undefined && (at === undefined || Number(since) < Number(at)))) union.set(topic, since);
      }
    }
    return union;
  }

  /** Leader: what the connection reports, to this tab's hub and to the followers. */
  readonly #leaderEvents: ConnectionEvents = {
    event: (event, topics) => {
      this.#post({ t: 'event', from: this.#id, event, topics });
      this.#local('event', event, topics);
    },
    topic: (topic, status) => {
      if (status === 'active') this.#active.add(topic);
      else this.#active.delete(topic);
      this.#post({ t: 'topic', from: this.#id, topic, status });
      if (status !== 'active') for (const topics of this.#tabs.values()) topics.delete(topic);
      if (this.#mine.has(topic)) {
        if (status !== 'active') this.#mine.delete(topic);
        this.#hub.topic(topic, status);
      }
    },
    state: (state, error, retry) => {
      this.#open = state === 'open';
      if (!this.#open) this.#active.clear();
      this.#post({ t: 'state', from: this.#id, state, error: error && toWire(error), retry });
      this.#hub.state(state, error, retry);
    },
    error: (error) => {
      this.#post({ t: 'error', from: this.#id, error: toWire(error) });
      this.#hub.error(error);
    },
    fatal: (error) => {
      this.#post({ t: 'fatal', from: this.#id, error: toWire(error) });
      this.#hub.fatal(error);
    },
  };

  #local(_kind: 'event', event: LiveEvent, topics: TopicName[]): void {
    const mine = topics.filter((t) => this.#mine.has(t));
    for (const t of mine) this.#mine.set(t, event.id);
    if (mine.length > 0) this.#hub.event(event, mine);
  }

  #receive(message: TabMessage): void {
    if (this.#closed || message.from === this.#id) return;
    switch (message.t) {
      case 'topics':
        if (this.#connection) {
          this.#leaderSet(message.from, new Map(message.topics.map((w) => [w.topic, w.since])));
          this.#post({ t: 'welcome', from: this.#id, to: message.from, open: this.#open, active: [...this.#active] });
        }
        return;
      case 'bye':
        if (this.#connection) this.#leaderSet(message.from, new Map());
        else if (message.from === this.#leader) {
          // The leader left: the next one (whoever gets the lock) says so, and hears our topics.
          this.#leader = undefined;
          this.#hub.state('reconnecting');
        }
        return;
      case 'leader':
        if (this.#connection) return;
        this.#leader = message.from;
        this.#announceAll = true;
        this.#scheduleAnnounce();
        return;
      case 'welcome':
        if (message.to !== this.#id || this.#connection) return;
        this.#leader = message.from;
        if (message.open) {
          this.#hub.state('open');
          for (const topic of message.active) if (this.#mine.has(topic)) this.#hub.topic(topic, 'active');
        }
        return;
      case 'event': {
        if (this.#connection) return;
        const parsed = LiveEvent.safeParse(message.event);
        if (parsed.success) this.#local('event', parsed.data, message.topics);
        return;
      }
      case 'topic':
        if (this.#connection || !this.#mine.has(message.topic)) return;
        if (message.status !== 'active') this.#mine.delete(message.topic);
        this.#hub.topic(message.topic, message.status);
        return;
      case 'state':
        if (this.#connection) return;
        this.#hub.state(message.state, message.error && fromWire(message.error), message.retry);
        return;
      case 'error':
        if (!this.#connection) this.#hub.error(fromWire(message.error));
        return;
      case 'fatal':
        if (!this.#connection) this.#hub.fatal(fromWire(message.error));
        return;
    }
  }

  #scheduleAnnounce(): void {
    if (this.#announceScheduled) return;
    this.#announceScheduled = true;
    queueMicrotask(() => {
      this.#announceScheduled = false;
      if (this.#closed || this.#connection || !this.#channel) return;
      // Resume points go only where they matter (a new leader, a new or resumed topic): an old
      // point for a topic the leader carries makes it replay that topic.
      const all = this.#announceAll;
      const topics = [...this.#mine].map(([topic, since]) => ({ topic, since: all ? since : this.#fresh.get(topic) }));
      this.#announceAll = false;
      this.#fresh.clear();
      this.#post({ t: 'topics', from: this.#id, topics });
    });
  }

  #post(message: TabMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A closed channel: this tab is going away.
    }
  }
}
