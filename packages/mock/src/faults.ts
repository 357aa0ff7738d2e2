/**
 * Fault injection: msw handlers placed in front of the real app to make the network misbehave
 * the way real networks do. Each fault matches requests by method and path, fires a given
 * number of times, and otherwise lets the request through to the app untouched (an msw resolver
 * that returns nothing hands the request to the next handler).
 * @module
 */
import { HttpResponse, delay, http, type HttpHandler } from 'msw';

/** Which requests a fault applies to. */
export interface FaultMatch {
  /** HTTP method, any by default. */
  method?: string;
  /** A path under the API root (`/v1/rooms`), a `RegExp` tested on the path, or any by default. */
  path?: string | RegExp;
  /** How many matching requests the fault hits, then it lets requests through; `Infinity` by default. */
  times?: number;
}

/** A fault handler with a counter of the requests it hit, for assertions. */
export interface Fault {
  readonly handler: HttpHandler;
  /** How many requests this fault has hit so far. */
  readonly hits: number;
}

function fault(baseUrl: string, match: FaultMatch, act: (request: Request) => Promise<Response | undefined>): Fault {
  let hits = 0;
  const times = match.times ?? Infinity;
  const root = new URL(baseUrl);
  const handler = http.all(`${root.origin}/*`, async ({ request }) => {
    const url = new URL(request.url);
    if (match.method && request.method !== match.method.toUpperCase()) return undefined;
    if (typeof match.path === 'string' && url.pathname !== match.path) return undefined;
    if (match.path instanceof RegExp && !match.path.test(url.pathname)) return undefined;
    if (hits >= times) return undefined;
    hits++;
    return act(request);
  });
  return {
    handler,
    get hits() {
      return hits;
    },
  };
}

function codeFor(status: number): string {
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'internal';
  return 'invalid_request';
}

/** Builds fault handlers for the API at `baseUrl`. Install them with `worker.use(f.handler)` / `server.use(…)`. */
export function faultsFor(baseUrl: string) {
  return {
    /** Answers with an HTTP error status and a problem+json body, without reaching the app. */
    status(status: number, match: FaultMatch = {}, headers: Record<string, string> = {}): Fault {
      return fault(baseUrl, match, async () =>
        HttpResponse.json(
          { type: 'about:blank', title: 'Injected fault', status, code: codeFor(status) },
          { status, headers: { 'content-type': 'application/problem+json', ...headers } },
        ),
      );
    },
    /** Answers 429 `rate_limited` with `Retry-After`. */
    rateLimit(retryAfterSeconds: number, match: FaultMatch = {}): Fault {
      return this.status(429, match, { 'retry-after': String(retryAfterSeconds) });
    },
    /** Fails at the network level, as a dropped connection does (fetch rejects). */
    drop(match: FaultMatch = {}): Fault {
      return fault(baseUrl, match, async () => HttpResponse.error());
    },
    /** Delays matching requests, then lets them through to the app. */
    latency(ms: number, match: FaultMatch = {}): Fault {
      return fault(baseUrl, match, async () => {
        await delay(ms);
        return undefined;
      });
    },
    /**
     * Lets the request reach the app, then drops the connection: the write HAPPENED but the
     * caller never heard. The case that idempotency keys exist for.
     */
    dropAfterApp(app: { fetch(request: Request): Response | Promise<Response> }, match: FaultMatch = {}): Fault {
      return fault(baseUrl, match, async (request) => {
        await app.fetch(request);
        return HttpResponse.error();
      });
    },
    /**
     * Holds matching requests until `release()` is called, then lets them through to the app:
     * for asserting what a page shows while a request is in flight (pending states, optimistic
     * updates) without timing anything.
     */
    hold(match: FaultMatch = {}): Fault & { release(): void } {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const f = fault(baseUrl, match, async () => {
        await gate;
        return undefined;
      });
      return Object.assign(f, { release: () => open() });
    },
    /**
     * Lets matching requests reach the app and keeps their event streams (`text/event-stream`
     * answers, such as `POST /v1/live`) under the test's control: `cut()` ends every stream open
     * at that moment, as a restarting server, a load balancer's idle timeout or a dropped
     * connection does; the client must reconnect and resume. Other answers pass through untouched.
     */
    streams(app: { fetch(request: Request): Response | Promise<Response> }, match: FaultMatch = {}): Fault & { cut(): number; readonly open: number } {
      const open = new Set<() => void>();
      const f = fault(baseUrl, match, async (request) => {
        const response = await app.fetch(request);
        if (!response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return response;
        const upstream = response.body.getReader();
        let ended = false;
        let end = () => {};
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            end = () => {
              if (ended) return;
              ended = true;
              open.delete(end);
              controller.close();
              // The app stops writing to a connection nobody reads any more.
              void upstream.cancel().catch(() => undefined);
            };
            open.add(end);
          },
          async pull(controller) {
            const { done, value } = await upstream.read().catch(() => ({ done: true, value: undefined }));
            if (ended) return;
            if (done || value === undefined) end();
            else controller.enqueue(value);
          },
          cancel() {
            ended = true;
            open.delete(end);
            return upstream.cancel().catch(() => undefined);
          },
        });
        return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      });
      return {
        handler: f.handler,
        get hits() {
          return f.hits;
        },
        /** Ends every stream open now; answers how many it ended. */
        cut: () => {
          const ending = [...open];
          for (const e of ending) e();
          return ending.length;
        },
        /** How many matching streams are open now. */
        get open() {
          return open.size;
        },
      };
    },
    /** Answers 401 `unauthenticated`, as an expired access token does. */
    expireToken(match: FaultMatch = {}): Fault {
      return fault(baseUrl, match, async () =>
        HttpResponse.json(
          { type: 'about:blank', title: 'Authentication is required', status: 401, code: 'unauthenticated', detail: 'The access token expired.' },
          { status: 401, headers: { 'content-type': 'application/problem+json' } },
        ),
      );
    },
  };
}

/** The fault builders for one API root. */
export type Faults = ReturnType<typeof faultsFor>;
