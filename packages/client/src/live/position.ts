/**
 * `EventPosition`: where what a widget read stands in the event log, so its live subscription
 * starts exactly there (list, then watch, as Kubernetes' `resourceVersion`). Pass one to every
 * read of a load (`{ position }`), then subscribe with `lastEventId: position.since`.
 * @module
 */

/** Every event up to this id is reflected in the answer (set on an organization's `GET`). */
export const EVENT_POSITION_HEADER = 'Menteo-Event-Position';
/** Events after the position and up to this id were written while the answer was read. */
export const EVENT_POSITION_UPPER_HEADER = 'Menteo-Event-Position-Upper';

const ID = /^\d{1,15}$/;

/**
 * Collects the event positions of the reads of one load (a read given one asks for its position
 * with `Prefer: event-position`). Over several reads, the load reflects
 * every event up to the smallest position (`since`) and possibly some up to the largest upper
 * bound (`upper`). A read answered without a position (an older server) makes it unknown:
 * `since` is then `undefined`, and a subscription starts from the server's "now" as before.
 */
export class EventPosition {
  #since: number | undefined;
  #upper: number | undefined;
  #reads = 0;
  #unknown = false;

  /**
   * The id to resume a subscription after (`lastEventId`): every event up to it is reflected in
   * what was read. `undefined` before any read answered, or when one answered without a position.
   */
  get since(): string | undefined {
    return this.#unknown || this.#since === undefined ? undefined : String(this.#since);
  }

  /**
   * Whether the reads may already reflect the event `eventId`: it was written while they ran. A
   * handler that applies changes idempotently (upsert by id, replace by version) needs nothing
   * more; one that counts (a comment count) re-reads its resource for such an event instead.
   * False when the position is unknown.
   */
  mayReflect(eventId: string): boolean {
    const since = this.since;
    if (since === undefined || this.#upper === undefined) return false;
    const id = Number(eventId);
    return id > Number(since) && id <= this.#upper;
  }

  /** @internal Records the position headers of one successful answer (the client calls it). */
  record(headers: Headers): void {
    this.#reads += 1;
    const since = headers.get(EVENT_POSITION_HEADER);
    if (since === null || !ID.test(since)) {
      this.#unknown = true;
      return;
    }
    const upper = headers.get(EVENT_POSITION_UPPER_HEADER);
    const at = Number(since);
    const top = upper !== null && ID.test(upper) ? Math.max(at, Number(upper)) : at;
    this.#since = this.#since === undefined ? at : Math.min(this.#since, at);
    this.#upper = this.#upper === undefined ? top : Math.max(this.#upper, top);
  }

  /** How many answers were recorded (diagnostics and tests). */
  get reads(): number {
    return this.#reads;
  }
}
