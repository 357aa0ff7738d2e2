/**
 * In-process publish/subscribe of stored live events. One instance per app; with several server
 * instances, each must also learn of the others' events (PostgreSQL LISTEN/NOTIFY on commit, or
 * polling the events table by id), then call `publish` locally.
 * @module
 */

/** A live event as stored, with what subscribers need to filter it. */
export interface StoredEvent {
  readonly id: number;
  readonly orgId: string;
  readonly roomId: string | null;
  readonly threadId: string | null;
  /** For post and comment events, the post's audience. */
  readonly audience: string | null;
  readonly type: string;
  /** The `LiveEvent` JSON, id included. */
  readonly json: string;
}

/** A subscriber callback. */
export type Listener = (event: StoredEvent) => void;

/** Publishes committed events to the streams of the same organization. */
export class EventBus {
  #byOrg = new Map<string, Set<Listener>>();
  #everyOrg = new Set<Listener>();
  #closers = new Set<() => void>();

  /** Registers a listener; call the returned function to unregister (streams do so when the client leaves). */
  subscribe(orgId: string, listener: Listener): () => void {
    let set = this.#byOrg.get(orgId);
    if (!set) {
      set = new Set();
      this.#byOrg.set(orgId, set);
    }
    set.add(listener);
    return () => {
      const current = this.#byOrg.get(orgId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.#byOrg.delete(orgId);
    };
  }

  /**
   * Registers a listener for every organization's events: server-side reactions to committed
   * changes (the LMS gradebook sync), not streams. Not counted by {@link EventBus.size}, which
   * tests use to check that streams clean up.
   */
  subscribeAll(listener: Listener): () => void {
    this.#everyOrg.add(listener);
    return () => {
      this.#everyOrg.delete(listener);
    };
  }

  /** Delivers an event to every listener of its organization; a failing listener does not stop the others. */
  publish(event: StoredEvent): void {
    for (const listener of [...(this.#byOrg.get(event.orgId) ?? []), ...this.#everyOrg]) {
      try {
        listener(event);
      } catch {
        // A broken stream must not affect the writer or other streams.
      }
    }
  }

  /** Runs `onClose` when the bus is closed (an open stream ends itself); returns an unregister function. */
  onClose(onClose: () => void): () => void {
    this.#closers.add(onClose);
    return () => {
      this.#closers.delete(onClose);
    };
  }

  /**
   * Ends every open stream. Call it when shutting an app down, before its database is closed:
   * a stream left open would keep checking visibility against a closed database.
   */
  close(): void {
    const closers = [...this.#closers];
    this.#closers.clear();
    for (const close of closers) {
      try {
        close();
      } catch {
        // One stream failing to close must not keep the others open.
      }
    }
  }

  /** Number of live subscribers (tests check that streams clean up). */
  get size(): number {
    let n = 0;
    for (const set of this.#byOrg.values()) n += set.size;
    return n;
  }
}
