/**
 * Opaque keyset cursors: base64url of a versioned JSON payload holding the sort key of the last
 * item. Clients must not build them; anything we did not issue answers 400 with `field: cursor`.
 * @module
 */
import { ApiError } from '../http/errors.js';

const VERSION = 1;

/** The sort key of the last item of a page: one or more strings (e.g. `[sessionDate, id]`). */
export type CursorKey = readonly string[];

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(value: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Encodes the key of the last item of a page. */
export function encodeCursor(key: CursorKey): string {
  return toBase64Url(JSON.stringify({ v: VERSION, k: key }));
}

/**
 * Decodes a cursor whose key must have `arity` parts, each accepted by `check`; throws 400
 * `invalid_request` on anything else.
 */
export function decodeCursor(cursor: string | undefined, arity: number, check: (part: string, index: number) => boolean): string[] | undefined {
  if (cursor === undefined) return undefined;
  const bad = () => new ApiError('invalid_request', 'The cursor is not valid; pass back a nextCursor exactly as received.', { field: 'cursor' });
  const json = fromBase64Url(cursor);
  if (json === undefined) throw bad();
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    throw bad();
  }
  if (typeof payload !== 'object' || payload === null) throw bad();
  const { v, k } = payload as { v?: unknown; k?: unknown };
  if (v !== VERSION || !Array.isArray(k) || k.length !== arity) throw bad();
  const parts: string[] = [];
  for (const [i, part] of k.entries()) {
    if (typeof part !== 'string' || !check(part, i)) throw bad();
    parts.push(part);
  }
  return parts;
}

/** Cuts the extra row fetched beyond `limit` and produces the page envelope. */
export function pageOf<Row, Item>(rows: readonly Row[], limit: number, key: (row: Row) => CursorKey, items: Item[]): { items: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const last = more ? rows[limit - 1] : undefined;
  return { items: items.slice(0, limit), nextCursor: last === undefined ? null : encodeCursor(key(last)) };
}
