// Reading a server-sent event stream replayed from the start, until a known event has arrived.
// Used by the authorization matrix and by the privacy tests: a leak in a stream shows up in
// `text`, whatever the event type.

/** What a replayed stream delivered. */
export interface Replay {
  readonly status: number;
  readonly contentType: string;
  /** Everything the stream sent (frames and comments), or the error body when status is not 200. */
  readonly text: string;
  /** Ids of the event frames received, in order. */
  readonly ids: readonly number[];
  /** True when `until` was satisfied; false when the safety limit ended the read first. */
  readonly complete: boolean;
}

/** Options of {@link replayStream}. */
export interface ReplayOptions {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Stop once this returns true for the text received so far and the ids of event frames. */
  readonly until: (text: string, ids: readonly number[]) => boolean;
  /**
   * Safety limit so a broken server cannot hang the suite. It is no timing assertion: a read that
   * hits it reports `complete: false`, and callers fail on that.
   */
  readonly limitMs?: number;
}

/** Opens a stream, reads until `until` holds (or the limit passes) and closes it. */
export async function replayStream(url: string, options: ReplayOptions): Promise<Replay> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.limitMs ?? 10_000);
  const headers = new Headers(options.headers);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set('content-type', 'application/json');
  }
  try {
    const response = await fetch(url, { method: options.method ?? 'GET', headers, body, signal: controller.signal });
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !contentType.startsWith('text/event-stream')) {
      return { status: response.status, contentType, text: await response.text(), ids: [], complete: true };
    }
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const ids: number[] = [];
    let complete = false;
    try {
      for (;;) {
        if (options.until(text, ids)) {
          complete = true;
          break;
        }
        const { done, value } = await reader.read();
        if (done) break;
        const before = text.length;
        text += decoder.decode(value, { stream: true });
        // Frame ids from complete lines only; a line cut by a chunk boundary is read with the next chunk.
        const from = before === 0 ? 0 : text.lastIndexOf('\n', before - 1) + 1;
        for (const m of text.slice(from).matchAll(/^id: (\d+)\n/gm)) ids.push(Number(m[1]));
      }
    } catch {
      // Aborted by the safety limit: reported through `complete`.
    } finally {
      controller.abort();
    }
    return { status: 200, contentType, text, ids, complete: complete || options.until(text, ids) };
  } finally {
    clearTimeout(timer);
  }
}
