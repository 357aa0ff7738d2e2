/**
 * One live connection as the hub keeps it: who is reading (a snapshot of the credential, checked
 * synchronously on every event), which topics it carries, and its transport.
 * @module
 */
import type { TopicStatus } from '@menteo/api/events';
import type { Scope } from '@menteo/api/scopes';
import type { StoredEvent } from './bus.js';
import type { Sink } from './sink.js';

/** What the hub needs to know of the caller, fixed when the connection opens. */
export interface LivePrincipal {
  readonly kind: 'key' | 'token';
  /** The API key id or access token id: topic updates must come from the same credential. */
  readonly credentialId: string;
  readonly orgId: string;
  /** The token's person; null for API keys (a key reads as the organization, whoever it acts as). */
  readonly personId: string | null;
  readonly scopes: ReadonlySet<Scope>;
  /** A token's room limit; null when not limited. */
  readonly roomIds: ReadonlySet<string> | null;
  /**
   * Reads every room's events (within the room limit) without membership: API keys only. Events
   * carry what people wrote, so admins' streams follow the members' rule (`readsEveryRoomContent`).
   */
  readonly orgWide: boolean;
  /** When a token stops being valid (epoch ms); null for API keys. */
  readonly expiresAt: number | null;
  /** The API key a token was minted through: its revocation ends the token's connections too. Null for keys and unknown. */
  readonly mintedBy: string | null;
  /** When the request that opened the connection started (epoch ms), to catch revocations racing it. */
  readonly openedAt: number;
}

/** What a topic gives access to, once authorized. */
export type TopicGrant =
  | { readonly kind: 'room'; readonly roomId: string }
  | { readonly kind: 'thread'; readonly threadId: string; readonly roomId: string | null; readonly authorId: string }
  | { readonly kind: 'feed' }
  /** The caller's own events (`me`): a person's token only. */
  | { readonly kind: 'me'; readonly personId: string };

/** A topic on a connection. */
export interface TopicState {
  /** As the client names it: `room:…`, `thread:…`, `feed`. */
  readonly wire: string;
  /** The hub's index key: `room:…`, `thread:…`, `feed:<orgId>`. */
  readonly key: string;
  /** Null while its authorization is being checked. */
  grant: TopicGrant | null;
  /** Events of this topic with a larger id reach the connection (replayed or live). */
  readonly coveredAfter: number;
}

/** A live connection: multiplexed (`POST /v1/live`) or a legacy single-topic stream. */
export class LiveConnection {
  /** The id clients send topic changes to (`lc_…`). */
  readonly id: string;
  readonly principal: LivePrincipal;
  /** Legacy streams carry no control frames: they just end. */
  readonly legacy: boolean;
  readonly sink: Sink;
  /** Topics by index key. */
  readonly topics = new Map<string, TopicState>();
  /** Id of the event this connection was last offered (an event reaches it through several topics). */
  lastOffered = 0;
  /**
   * Live events held while a replay is written, so replayed events come first and none is lost
   * between the replay's query and going live; null when not replaying.
   */
  held: StoredEvent[] | null = null;
  heldBytes = 0;
  /** Replays in progress (topic updates may overlap). */
  replays = 0;
  /**
   * Ids this connection's last replay wrote, while live delivery has not yet passed the largest of
   * them. Live events reach an instance a little after their commit (from another instance, through
   * PostgreSQL notifications), so a replay can read an event that then arrives live too: it is sent
   * once. Null once live delivery moved past the replay.
   */
  replayed: { readonly ids: ReadonlySet<number>; readonly max: number } | null = null;
  closed = false;
  /** Topic updates run one after the other. */
  updates: Promise<unknown> = Promise.resolve();

  constructor(id: string, principal: LivePrincipal, sink: Sink, legacy: boolean) {
    this.id = id;
    this.principal = principal;
    this.sink = sink;
    this.legacy = legacy;
  }

  /** Topic statuses of the active topics, in the order they were added. */
  activeTopics(): TopicStatus[] {
    return [...this.topics.values()].filter((t) => t.grant !== null).map((t) => ({ topic: t.wire as TopicStatus['topic'], status: 'active' }));
  }
}

/** A random connection id, unguessable: knowing it is not enough (the credential must match), but it should not be enumerable either. */
export function newConnectionId(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return `lc_${btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}
