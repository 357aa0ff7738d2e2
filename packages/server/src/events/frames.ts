/**
 * The bytes of a live stream. An event's frame is encoded once and the same bytes are written to
 * every connection that receives it; control frames carry no `id:`, so they never move a client's
 * resume point.
 * @module
 */
import type { LiveControl } from '@menteo/api/events';
import type { StoredEvent } from './bus.js';

const encoder = new TextEncoder();

/**
 * Under Node, frames are `Buffer`s: a socket converts any other `Uint8Array` into a new `Buffer`
 * on every write, which is one allocation per delivery in a fan-out. Elsewhere, plain bytes.
 */
const NodeBuffer = (globalThis as { Buffer?: { from(text: string): Uint8Array } }).Buffer;
const encode: (text: string) => Uint8Array = NodeBuffer ? (text) => NodeBuffer.from(text) : (text) => encoder.encode(text);

/** `id:`, `event:` and `data:` of one stored event. */
export function eventFrame(event: StoredEvent): Uint8Array {
  return encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${event.json}\n\n`);
}

/** A control frame (`live.ready`, `live.topic-closed`, `live.end`): `event:` and `data:`, no `id:`. */
export function controlFrame(control: LiveControl): Uint8Array {
  return encode(`event: ${control.type}\ndata: ${JSON.stringify(control)}\n\n`);
}

/** The heartbeat comment, shared by every connection. */
export const HEARTBEAT: Uint8Array = encode(': heartbeat\n\n');

/**
 * First bytes of a legacy per-room/thread/feed stream: the reconnection delay for `EventSource`,
 * and a comment that makes the runtime send the headers at once.
 */
export const LEGACY_PREAMBLE: Uint8Array = encode('retry: 3000\n: connected\n\n');
