/**
 * Local drafts: what a person types survives a failed request, going offline and a reload.
 *
 * A draft lives in `localStorage` under one key per composer and is removed only when the server
 * acknowledges the write. Only what the person typed is stored (and the idempotency key of the
 * pending write, so a retry after a reload cannot create a second post): never a token, never
 * data fetched from the server. Storage that throws (private modes, sandboxed frames, a full
 * quota) degrades to an in-memory draft rather than breaking the composer.
 * @module
 */

const PREFIX = 'menteo:draft:v1:';
/** Drafts older than this are dropped: a month-old half sentence helps no one. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** What a composer keeps. `fields` holds its other inputs (audience, milestone, rating…). */
export interface Draft {
  text: string;
  fields: Record<string, string>;
  /** Set while a write is pending, reused on retry. */
  idempotencyKey?: string;
  savedAt: number;
}

const memory = new Map<string, Draft>();

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

function isDraft(value: unknown): value is Draft {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.text === 'string' && typeof v.savedAt === 'number' && typeof v.fields === 'object' && v.fields !== null;
}

/** Drafts of one composer, identified by `key` (e.g. `feed:room_01…:post`). */
export class DraftStore {
  readonly key: string;

  constructor(key: string) {
    this.key = PREFIX + key;
  }

  /** The saved draft, or `undefined` when there is none (or it is stale or unreadable). */
  load(now = Date.now()): Draft | undefined {
    let draft = memory.get(this.key);
    const s = storage();
    if (s !== undefined) {
      try {
        const raw = s.getItem(this.key);
        const parsed: unknown = raw === null ? undefined : JSON.parse(raw);
        draft = isDraft(parsed) ? parsed : draft;
      } catch {
        // Unreadable JSON or blocked storage: fall back to memory.
      }
    }
    if (draft !== undefined && now - draft.savedAt > MAX_AGE_MS) {
      this.clear();
      return undefined;
    }
    return draft;
  }

  /** Saves the draft; an empty draft without a pending write is removed instead. */
  save(text: string, fields: Record<string, string> = {}, idempotencyKey?: string): void {
    if (text.trim() === '' && idempotencyKey === undefined) {
      this.clear();
      return;
    }
    const draft: Draft = { text, fields, savedAt: Date.now() };
    if (idempotencyKey !== undefined) draft.idempotencyKey = idempotencyKey;
    memory.set(this.key, draft);
    try {
      storage()?.setItem(this.key, JSON.stringify(draft));
    } catch {
      // Quota or blocked storage: the in-memory copy still survives failed requests.
    }
  }

  /** Removes the draft: call when the server has acknowledged the write. */
  clear(): void {
    memory.delete(this.key);
    try {
      storage()?.removeItem(this.key);
    } catch {
      // Nothing to do: memory is already cleared.
    }
  }
}

/** A random idempotency key for a write that may be retried (also after a reload). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c !== undefined && typeof c.randomUUID === 'function') return c.randomUUID();
  // Non-secure contexts (plain-http intranets) lack randomUUID; getRandomValues is enough here.
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
