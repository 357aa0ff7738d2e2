/**
 * Cheap SSE subscribers for bench:live: one raw TCP socket per subscriber, a hand-written HTTP/1.1
 * request, and a reader that only pulls `id:` lines out of the stream (with the time each arrived).
 * Thousands of these run in the bench process beside the writer, so the reader must cost far less
 * than the server it measures: no EventSource, no JSON parsing, no per-frame objects.
 * @module
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** How to open one stream. */
export interface StreamRequest {
  readonly port: number;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Text that shows the subscription is in place (`event: live.ready`); by default, any body byte. */
  readonly readyMarker?: string;
}

/** How a subscriber's stream stands. */
export type SubscriberState = 'connecting' | 'open' | 'refused' | 'ended';

/** What starts an event id line; frames are separated by a blank line, so one is always preceded by a newline. */
const ID_PREFIX = '\nid: ';

/**
 * One stream. Records every event id it receives and when (`performance.now()`), into growable
 * typed arrays; with `keepFrames`, also the whole text of each frame (the probe subscriber, which
 * maps event ids to the writer's sequence numbers).
 */
export class Subscriber {
  state: SubscriberState = 'connecting';
  /** HTTP status of the answer, 0 before headers. */
  status = 0;
  /** Start of the refused answer's body, or the socket error. */
  problem = '';
  /** The server ended an open stream before the round did. */
  endedByServer = false;
  ids = new Float64Array(256);
  times = new Float64Array(256);
  count = 0;
  /** Complete frames seen, only with `keepFrames`. */
  readonly frames: string[] = [];
  readonly ready: Promise<void>;

  private socket: Socket | undefined;
  private head = '';
  private chunked = false;
  private chunkLeft = 0;
  private crlfLeft = 0;
  private sizeLine = '';
  // A leading newline so an `id:` at the very start of the body is found like every other.
  private tail = '\n';
  private frameText = '';
  private closedByUs = false;
  private opening = '';
  private settle: () => void = () => {};

  constructor(
    private readonly request: StreamRequest,
    private readonly onIds: (n: number) => void,
    private readonly keepFrames = false,
  ) {
    this.ready = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  /** Connects and sends the request; `ready` settles once the stream opened or was refused. */
  open(timeoutMs: number): Promise<void> {
    const r = this.request;
    const socket = connect({ host: '127.0.0.1', port: r.port });
    this.socket = socket;
    const timer = setTimeout(() => this.fail('no answer in time'), timeoutMs);
    void this.ready.then(() => clearTimeout(timer));
    socket.on('connect', () => {
      let head = `${r.method} ${r.path} HTTP/1.1\r\nHost: 127.0.0.1:${r.port}\r\nAccept: text/event-stream\r\n`;
      for (const [k, v] of Object.entries(r.headers)) head += `${k}: ${v}\r\n`;
      if (r.body !== undefined) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(r.body)}\r\n`;
      socket.write(`${head}\r\n${r.body ?? ''}`);
    });
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (e: Error) => this.fail(e.message));
    socket.on('close', () => {
      if (this.state === 'open') {
        this.state = 'ended';
        this.endedByServer = !this.closedByUs;
      }
      this.fail('closed before the stream opened');
    });
    return this.ready;
  }

  /** Closes the socket (the end of a round). */
  close(): void {
    this.closedByUs = true;
    this.socket?.destroy();
  }

  private fail(problem: string): void {
    if (this.state !== 'connecting') return;
    this.state = 'refused';
    this.problem ||= problem;
    this.socket?.destroy();
    this.settle();
  }

  private onData(data: Buffer): void {
    // latin1 keeps one character per byte, so chunk sizes (in bytes) index the string directly.
    let text = data.toString('latin1');
    if (this.status === 0) {
      this.head += text;
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.head.slice(0, end);
      text = this.head.slice(end + 4);
      this.head = '';
      this.status = Number(head.slice(9, 12));
      this.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
      if (this.status !== 200) {
        this.problem = `${this.status} ${text.slice(0, 300)}`;
        this.fail(this.problem);
        return;
      }
    }
    if (this.chunked) this.dechunk(text);
    else this.body(text);
  }

  /** Strips HTTP/1.1 chunk framing, passing the payload on. */
  private dechunk(s: string): void {
    let i = 0;
    while (i < s.length) {
      if (this.chunkLeft > 0) {
        const take = Math.min(this.chunkLeft, s.length - i);
        this.body(s.slice(i, i + take));
        this.chunkLeft -= take;
        i += take;
        if (this.chunkLeft === 0) this.crlfLeft = 2;
      } else if (this.crlfLeft > 0) {
        const take = Math.min(this.crlfLeft, s.length - i);
        this.crlfLeft -= take;
        i += take;
      } else {
        const nl = s.indexOf('\n', i);
        if (nl < 0) {
          this.sizeLine += s.slice(i);
          return;
        }
        const size = parseInt(this.sizeLine + s.slice(i, nl), 16);
        this.sizeLine = '';
        i = nl + 1;
        if (size === 0) {
          // The server ended the stream; the socket's close records it.
          this.socket?.end();
          return;
        }
        this.chunkLeft = size;
      }
    }
  }

  /** Finds `id:` lines in the event stream's text. */
  private body(text: string): void {
    if (this.state === 'connecting') {
      const marker = this.request.readyMarker;
      if (marker !== undefined) this.opening += text;
      if (marker === undefined || this.opening.includes(marker)) {
        this.state = 'open';
        this.opening = '';
        this.settle();
      }
    }
    if (this.keepFrames) this.collectFrames(text);
    const s = this.tail + text;
    let pos = 0;
    let found = 0;
    let partial = -1;
    const now = performance.now();
    for (;;) {
      const k = s.indexOf(ID_PREFIX, pos);
      if (k < 0) break;
      const end = s.indexOf('\n', k + ID_PREFIX.length);
      if (end < 0) {
        partial = k;
        break;
      }
      this.record(Number(s.slice(k + ID_PREFIX.length, end)), now);
      found++;
      pos = end;
    }
    // Keep an id line that has not ended yet, or what may be the start of a split `\nid: `.
    this.tail = partial >= 0 ? s.slice(partial) : s.slice(Math.max(pos, s.length - ID_PREFIX.length + 1));
    if (found > 0) this.onIds(found);
  }

  private record(id: number, at: number): void {
    if (this.count === this.ids.length) {
      const ids = new Float64Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
    }
    this.ids[this.count] = id;
    this.times[this.count] = at;
    this.count++;
  }

  private collectFrames(text: string): void {
    this.frameText += text;
    let end: number;
    while ((end = this.frameText.indexOf('\n\n')) >= 0) {
      this.frames.push(this.frameText.slice(0, end));
      this.frameText = this.frameText.slice(end + 2);
    }
  }
}

/**
 * Opens `count` subscribers, `concurrency` handshakes at a time so the listen backlog never
 * overflows; resolves once every one is open or refused.
 */
export async function openSubscribers(
  count: number,
  request: (index: number) => StreamRequest,
  onIds: (n: number) => void,
  { concurrency = 200, timeoutMs = 30_000 } = {},
): Promise<Subscriber[]> {
  const subscribers: Subscriber[] = [];
  for (let i = 0; i < count; i++) subscribers.push(new Subscriber(request(i), onIds, i === 0));
  let next = 0;
  const worker = async () => {
    while (next < count) await subscribers[next++]!.open(timeoutMs);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return subscribers;
}
