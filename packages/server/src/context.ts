/**
 * What every handler receives: the database, the caller, the clock and the event publisher.
 * @module
 */
import type { Component, Scope } from '@menteo/api/scopes';
import type { Kysely, Transaction } from 'kysely';
import type { EventBus } from './events/bus.js';
import type { EventDraft } from './events/store.js';
import type { IntegrationsLoader } from './integrations/types.js';
import type { PeopleTable, Database } from './storage/schema.js';

/** A person row as stored. */
export type PersonRow = PeopleTable;

/** The authenticated caller. */
export interface Principal {
  /** `key`: a secret API key acting as the organization; `token`: a person's access token. */
  readonly kind: 'key' | 'token';
  /** The API key id or the access token's public id: rate limits and idempotency are scoped to it. */
  readonly credentialId: string;
  readonly orgId: string;
  readonly scopes: ReadonlySet<Scope>;
  /** The token's person, or the `Menteo-Act-As` person of an API key call (null when absent). */
  readonly person: PersonRow | null;
  /** Rooms a token is limited to; null when not limited. */
  readonly roomIds: readonly string[] | null;
  readonly components: readonly Component[];
}

/** Runs `work` in a transaction; events it emits are published only after the commit. */
export type RunInTransaction = <T>(work: (trx: Transaction<Database>, emit: (draft: EventDraft) => Promise<void>) => Promise<T>) => Promise<T>;

/** The context of a handler that needs no caller (health, public posts, token exchange). */
export interface PublicContext {
  readonly db: Kysely<Database>;
  readonly request: Request;
  readonly requestId: string;
  /** The current instant as an ISO string; one value per request so related rows agree. */
  readonly now: string;
  readonly tx: RunInTransaction;
  readonly options: ResolvedAppInfo;
  /** Publisher of committed events, for streams. */
  readonly bus: EventBus;
  /** The LTI and SCIM integrations, loaded on first use (admin endpoints only). */
  readonly integrations: IntegrationsLoader;
  /**
   * Runs `fn` once the request's writes are committed: at once for a handler whose own `tx` has
   * returned, after the request's transaction for a keyed write (whose handler runs inside it),
   * and never when that transaction rolls back. For notices that must not run ahead of the data
   * (open streams told that access was lost).
   */
  readonly afterCommit: (fn: () => void) => void;
  /** The runtime's bindings (the Node listener's request and response), when there are any. */
  readonly env?: unknown;
}

/** The context of an authenticated handler. */
export interface Context extends PublicContext {
  readonly principal: Principal;
}

/** Settings handlers need from the app options. */
export interface ResolvedAppInfo {
  readonly version: string;
  readonly storage: string;
  readonly accessTokenTtlSeconds: number;
  readonly heartbeatMs: number;
}
