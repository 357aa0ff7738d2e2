/**
 * Reading one live stream: server-sent events parsed with eventsource-parser, sorted into
 * events (with an SSE id, validated against the contract's `LiveEvent`) and control frames
 * (no id: `live.ready`, `live.topic-closed`, `live.end`), with a watchdog that aborts a
 * connection that stays silent for too long.
 * @module
 */
import { createParser } from 'eventsource-parser';
import { LiveControl, LiveEvent } from '@menteo/api/events';
import { MenteoResponseError, MenteoTimeoutError } from '../errors.js';
import type { TopicName } from './types.js';

/** What a stream yields. */
export interface FrameHandlers {
  event(event: LiveEvent): void;
  control(frame: LiveControl): void;
  /** A frame that fails the contract: skipped and reported. */
  invalid(error: MenteoResponseError): void;
  /** The server's SSE `retry:` hint. */
  retry(ms: number): void;
}

/** Control frame types: anything else with data is an event. */
const CONTROL = new Set(['live.ready', 'live.topic-closed', 'live.end']);

/**
 * The topics an event belongs to: its room, its thread, and the feed for posts and comments;
 * `room.joined`, addressed to one person, only to their `me` (it names the room but is not the room's).
 */
export function topicsOf(event: LiveEvent): TopicName[] {
  if (event.type === 'room.joined') return ['me'];
  const topics: TopicName[] = [];
  if (event.roomId) topics.push(`room:${event.roomId}`);
  if (event.threadId) topics.push(`thread:${event.threadId}`);
  if (event.type.startsWith('post.') || event.type.startsWith('comment.')) topics.push('feed');
  return topics;
}

function issuesOf(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }) {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * A silence watchdog: `arm(ms)` starts it, `touch()` (every chunk received) restarts it, and
 * when it fires, `onSilent` aborts the connection. Heartbeats keep a healthy stream talking; a
 * connection that went quiet without a FIN or RST (a stalled proxy, a sleeping laptop's Wi-Fi)
 * would otherwise look open for ever.
 */
export class Watchdog {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ms = 0;
  readonly #onSilent: (error: MenteoTimeoutError) => void;

  constructor(onSilent: (error: MenteoTimeoutError) => void) {
    this.#onSilent = onSilent;
  }

  arm(ms: number): void {
    this.#ms = ms;
    this.touch();
  }

  touch(): void {
    if (this.#ms <= 0) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onSilent(new MenteoTimeoutError(`The live connection was silent for ${this.#ms} ms (missed heartbeats); reconnecting.`));
    }, this.#ms);
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#ms = 0;
  }
}

/** Reads a stream body until it ends, feeding every frame to `handlers`. */
export async function readFrames(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  handlers: FrameHandlers,
  onBytes: () => void,
): Promise<void> {
  // A fresh parser per connection: half an event of a dropped stream must be discarded, never
  // glued to the first bytes of the next one.
  const parser = createParser({
    onEvent: (message) => {
      if (message.data === '') return;
      let json: unknown;
      try {
        json = JSON.parse(message.data);
      } catch {
        handlers.invalid(new MenteoResponseError('live frame is not JSON', [{ path: '', message: 'not JSON' }]));
        return;
      }
      const isControl = (message.id === undefined || message.id === '') && CONTROL.has(message.event ?? '');
      if (isControl) {
        const withType = typeof json === 'object' && json !== null ? { type: message.event, ...json } : json;
        const parsed = LiveControl.safeParse(withType);
        if (parsed.success) handlers.control(parsed.data);
        else handlers.invalid(new MenteoResponseError('live control frame does not match the contract', issuesOf(parsed.error)));
        return;
      }
      const parsed = LiveEvent.safeParse(json);
      if (parsed.success) handlers.event(parsed.data);
      else handlers.invalid(new MenteoResponseError('live event does not match the contract', issuesOf(parsed.error)));
    },
    onRetry: (ms) => handlers.retry(ms),
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onBytes();
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
