/**
 * The transport: one configured client (base URL, credentials, retries, timeouts) that sends any
 * operation of the contract. Resource namespaces are thin typed wrappers over
 * {@link Transport.request} and {@link Transport.list}; a widget can hold a transport and build
 * only the namespaces it uses, so its bundle carries only those schemas.
 * @module
 */
import ky, { isHTTPError, isNetworkError, isTimeoutError, type KyInstance, type Options as KyOptions } from 'ky';
import { buildPath, type HttpMethod, type Operation } from '@menteo/api/operation';
import { AccessToken, exchangeToken } from '@menteo/api/auth';
import { DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, exponentialCeiling, fullJitter } from './backoff.js';
import { MenteoAbortError, MenteoApiError, MenteoError, MenteoNetworkError, MenteoResponseError, MenteoSignInError, MenteoTimeoutError } from './errors.js';
import { noAnswerMessage, reasonOf, type RequestFacts } from './no-answer.js';
import { problemFromResponse } from './problem.js';
import { PageRequest } from './page.js';
import { TokenSource } from './tokens.js';
import type { LiveTuning } from './live/types.js';
import type { CallOptions, ItemOf, ListQuery, RequestInput, ResponseOf } from './types.js';

/** Credentials of a script or host backend: a secret API key. Never ship one to a browser. */
export interface ApiKeyAuth {
  /** A secret API key (`mk_…`). */
  apiKey: string;
  /** Act as this person (`Menteo-Act-As`) on every call, e.g. for writes that have an author. */
  actAs?: string | undefined;
  clientSecret?: undefined;
}

/**
 * Credentials of a browser: a function that asks the host's backend for a fresh single-use
 * client secret (which that backend minted with `createEmbedSession`). The client exchanges it
 * at `POST /v1/tokens` for a short-lived access token that it keeps in memory only.
 */
export interface ClientSecretAuth {
  /** Called whenever a new access token is needed; must return a fresh, unused secret. */
  clientSecret: (signal?: AbortSignal) => Promise<string>;
  apiKey?: undefined;
  actAs?: undefined;
}

/** No credentials: only public endpoints (health, public posts) will answer. */
export interface NoAuth {
  apiKey?: undefined;
  clientSecret?: undefined;
  actAs?: undefined;
}

/** How requests are retried. */
export interface RetryOptions {
  /** Retries after the first attempt, 3 by default; 0 disables retries. */
  limit?: number;
  /** Ceiling of the first retry's delay in ms (300); doubles with each retry. */
  baseDelay?: number;
  /** Cap of one computed delay in ms (10 000). */
  maxDelay?: number;
  /** Cap of a server-sent `Retry-After` in ms (60 000); longer waits give up instead. */
  maxRetryAfter?: number;
  /** Randomness in [0, 1) for the jitter; `Math.random` by default. */
  random?: () => number;
}

/** A hook called before every attempt, retries included (logging, tracing headers). */
export type RequestHook = (request: Request, info: { retryCount: number }) => void | Promise<void>;

/** Options shared by every way of creating a client. */
export interface TransportBaseOptions {
  /** The server root, e.g. `https://menteo.example.com` (the `/v1` paths are appended). */
  baseUrl: string | URL;
  /**
   * A fetch implementation. Defaults to the global `fetch`, looked up at call time (so test
   * interceptors installed later still apply). Pass an in-process app's `fetch` to skip the network.
   */
  fetch?: (input: Request, init?: RequestInit) => Promise<Response>;
  /**
   * Per-attempt timeout in ms until the response headers arrive (15 000); `false` for none. A
   * timed-out attempt is retried like a dropped connection (same Idempotency-Key).
   */
  timeout?: number | false;
  /** Retry policy, or a number as `limit`. */
  retry?: RetryOptions | number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Called before every attempt. */
  onRequest?: RequestHook;
  /**
   * Tabs of one browser signed in as the same person with the same grant share one live
   * connection (BroadcastChannel, and Web Locks to elect the tab that holds it). `true` by
   * default; without those APIs every client holds its own connection.
   */
  shareLiveAcrossTabs?: boolean;
  /** Tuning of the live connection: reconnect backoff, linger, heartbeat tolerance, lock manager. */
  live?: LiveTuning;
}

/** Options of {@link createTransport}: where, how, and with which credentials. */
export type TransportOptions = TransportBaseOptions & (ApiKeyAuth | ClientSecretAuth | NoAuth);

/** The sending half of a client, shared by every resource namespace. */
export interface Transport {
  /** Sends one operation and parses its answer with the operation's response schema. */
  request<Op extends Operation>(operation: Op, input: RequestInput<Op>): Promise<ResponseOf<Op>>;
  /** Starts a list operation: await it for one page, or iterate it for every item. */
  list<Op extends Operation>(
    operation: Op,
    input: Omit<RequestInput<Op>, 'query' | 'body' | 'idempotencyKey'> & { query?: ListQuery<Op> | undefined },
  ): PageRequest<ItemOf<Op>>;
  /**
   * Sends an operation and returns the raw successful `Response` (used for event streams).
   * Authentication, the 401 refresh and typed errors apply; retries are the caller's business.
   */
  open<Op extends Operation>(operation: Op, input: RequestInput<Op> & { retry?: false }): Promise<Response>;
  /** The options the transport was created with (credentials included: keep it private). */
  readonly options: Readonly<TransportOptions>;
  /**
   * Gets a new access token now (single-flight with every other refresh). Present on browser
   * transports (`clientSecret`); the live connection calls it when the server ends a stream
   * because the token expired or was revoked.
   */
  readonly renewCredentials?: (() => Promise<void>) | undefined;
}

/** The untyped shape of a call, once its operation's types have done their job. */
interface SendInput extends CallOptions {
  params?: unknown;
  query?: unknown;
  body?: unknown;
  retry?: false;
}

const WRITE_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * The default per-attempt timeout. It must outlast the server's wait for a concurrent request
 * under the same Idempotency-Key (10 s in the reference server): a retry that arrives while the
 * first attempt is still running then gets the server's replay or its explanatory 409
 * `conflict`, instead of timing out itself just before the server answers.
 */
export const DEFAULT_TIMEOUT = 15_000;

/** A fresh idempotency key: a random UUID (Web Crypto, present in browsers and Node 20). */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

function retryPolicy(option: RetryOptions | number | undefined): Required<RetryOptions> {
  const given = typeof option === 'number' ? { limit: option } : (option ?? {});
  return {
    limit: given.limit ?? 3,
    baseDelay: given.baseDelay ?? DEFAULT_BASE_DELAY,
    maxDelay: given.maxDelay ?? DEFAULT_MAX_DELAY,
    maxRetryAfter: given.maxRetryAfter ?? 60_000,
    random: given.random ?? Math.random,
  };
}

function toSearchParams(query: object | undefined): URLSearchParams | undefined {
  if (!query) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.set(key, String(value));
  }
  return params;
}

/** Creates a transport: the configured core that every namespace sends through. */
export function createTransport(options: TransportOptions): Transport {
  const policy = retryPolicy(options.retry);
  const prefix = String(options.baseUrl);
  const fetchImpl = options.fetch;
  const http: KyInstance = ky.create({
    prefix,
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
    // Looked up per call: msw and other interceptors patch globalThis.fetch after import.
    fetch: (input, init) => (fetchImpl ?? globalThis.fetch)(input as Request, init),
    retry: {
      limit: policy.limit,
      // Every method: writes carry an Idempotency-Key reused across retries, so a retried POST
      // is answered from the server's idempotency record instead of writing twice.
      methods: ['get', 'post', 'put', 'patch', 'delete', 'head'],
      statusCodes: [408, 429, 500, 502, 503, 504],
      // The timeout is per attempt (README): an attempt that hangs is retried, and with the same
      // Idempotency-Key, so a write that did reach the server is answered from its record.
      retryOnTimeout: true,
      afterStatusCodes: [429, 503],
      maxRetryAfter: policy.maxRetryAfter,
      backoffLimit: policy.maxDelay,
      delay: (attempt) => exponentialCeiling(attempt, policy),
      // Full jitter. ky applies it only to computed delays: a server's Retry-After is honoured as sent.
      jitter: (ceiling) => fullJitter(ceiling, policy.random),
    },
    hooks: options.onRequest
      ? {
          beforeRequest: [({ request }) => options.onRequest?.(request, { retryCount: 0 })],
          beforeRetry: [({ request, retryCount }) => options.onRequest?.(request, { retryCount })],
        }
      : {},
  });

  const getSecret = options.clientSecret;
  /** One exchange: a fresh secret from the host, spent at `POST /v1/tokens` (under a fresh key). */
  const exchangeOnce = async (signal: AbortSignal | undefined): Promise<AccessToken> => {
    if (!getSecret) throw new MenteoSignInError('No clientSecret function.');
    let secret: string;
    try {
      secret = await getSecret(signal);
    } catch (error) {
      if (signal?.aborted) throw new MenteoAbortError(undefined, { cause: error });
      throw new MenteoSignInError('The host page could not start a Menteo session (its clientSecret function failed).', { cause: error });
    }
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new MenteoSignInError('The host page\'s clientSecret function returned no secret.');
    }
    const answer = await send(exchangeToken, { body: { clientSecret: secret }, signal }, 'anonymous');
    return (await parseBody(exchangeToken, answer, signal)) as AccessToken;
  };
  const tokens = getSecret
    ? new TokenSource(async (signal) => {
        try {
          return await exchangeOnce(signal);
        } catch (error) {
          // The answer to an exchange was lost and the retry under the same key got 409: the
          // server spent the single-use secret but never replays an answer that carries a token.
          // Only a fresh secret can help; ask the host once more.
          if (!(error instanceof MenteoApiError) || error.code !== 'conflict') throw error;
          return exchangeOnce(signal);
        }
      })
    : undefined;

  type Credential = 'auto' | 'anonymous';

  async function attempt(
    operation: Operation,
    input: SendInput,
    token: string | undefined,
    idempotencyKey: string | undefined,
  ): Promise<Response> {
    const headers = new Headers(options.headers);
    for (const [name, value] of Object.entries(input.headers ?? {})) headers.set(name, value);
    if (operation.stream) headers.set('Accept', 'text/event-stream');
    else headers.set('Accept', 'application/json');
    if (token !== undefined) headers.set('Authorization', `Bearer ${token}`);
    if (options.apiKey !== undefined && token !== undefined) {
      const actAs = input.actAs ?? options.actAs;
      if (actAs !== undefined) headers.set('Menteo-Act-As', actAs);
    }
    if (idempotencyKey !== undefined) headers.set('Idempotency-Key', idempotencyKey);
    // The server reads where the answer stands in the event log only when asked (two queries).
    if (input.position !== undefined) headers.set('Prefer', 'event-position');
    const params = input.params as Record<string, string> | undefined;
    const kyOptions: KyOptions = {
      method: operation.method,
      headers,
      signal: input.signal,
      searchParams: toSearchParams(input.query as object | undefined),
      ...(input.body !== undefined ? { json: input.body } : {}),
      ...(input.timeout !== undefined ? { timeout: input.timeout } : {}),
      ...(input.retry === false ? { retry: 0, timeout: input.timeout ?? false } : {}),
    };
    return http(buildPath(operation.path, params), kyOptions);
  }

  async function send(
    operation: Operation,
    input: SendInput,
    credential: Credential = 'auto',
  ): Promise<Response> {
    const signal = input.signal;
    // Not on streams: a stream's answer never ends, so the server could not store it for a replay.
    const idempotencyKey = WRITE_METHODS.has(operation.method) && !operation.stream
      ? (input.idempotencyKey ?? newIdempotencyKey())
      : undefined;
    const facts: RequestFacts = {
      method: operation.method,
      url: prefix.replace(/\/$/, '') + buildPath(operation.path, input.params as Record<string, string> | undefined),
      idempotencyKey,
      timeout: input.timeout ?? (input.retry === false ? false : (options.timeout ?? DEFAULT_TIMEOUT)),
    };
    const wantsAuth = credential === 'auto' && operation.auth !== 'none' && operation.auth !== 'client-secret';
    try {
      let token = wantsAuth ? (options.apiKey ?? (tokens ? await tokens.get() : undefined)) : undefined;
      try {
        return await attempt(operation, input, token, idempotencyKey);
      } catch (error) {
        // A 401 on a token means it expired or was revoked early: get a new one (single-flight
        // across concurrent calls) and replay once with the same Idempotency-Key.
        if (!tokens || token === undefined || !isHTTPError(error) || error.response.status !== 401) throw error;
        token = await tokens.refresh(token);
        return await attempt(operation, input, token, idempotencyKey);
      }
    } catch (error) {
      throw toMenteoError(error, signal, facts);
    }
  }

  async function parseBody(operation: Operation, response: Response, signal: AbortSignal | undefined): Promise<unknown> {
    const requestId = response.headers.get('X-Request-Id') ?? undefined;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The server answered (so a write was applied) and the body was cut off.
      throw toMenteoError(error, signal, { method: operation.method, url: response.url });
    }
    if (response.status === 204 || text === '') {
      if (operation.response === undefined) return undefined;
      throw new MenteoResponseError(`${operation.id}: empty response`, [{ path: '', message: 'empty body' }], {
        status: response.status,
        requestId,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new MenteoResponseError(`${operation.id}: response is not JSON`, [{ path: '', message: 'not JSON' }], {
        status: response.status,
        requestId,
        cause: error,
      });
    }
    if (operation.response === undefined) return json;
    const result = operation.response.safeParse(json);
    if (result.success) return result.data;
    throw new MenteoResponseError(
      `${operation.id}: response does not match the contract`,
      result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      { status: response.status, requestId },
    );
  }

  const transport: Transport = {
    options,
    renewCredentials: tokens
      ? async () => {
          tokens.clear();
          await tokens.refresh();
        }
      : undefined,
    async request(operation, input) {
      const response = await send(operation, input as SendInput);
      const parsed = (await parseBody(operation, response, input.signal)) as never;
      input.position?.record(response.headers);
      return parsed;
    },
    list(operation, input) {
      return new PageRequest((cursor) =>
        transport.request(operation, {
          ...input,
          query: { ...input.query, ...(cursor === undefined ? {} : { cursor }) },
        } as never) as never,
      );
    },
    open(operation, input) {
      return send(operation, { ...(input as SendInput), retry: false });
    },
  };
  return transport;
}

/**
 * Maps whatever a call threw (ky errors, fetch errors, aborts) to a typed {@link MenteoError}.
 * With `facts` about the request, errors without an answer name their cause and say whether the
 * write may have been applied and whether a retry is safe.
 */
export function toMenteoError(error: unknown, signal?: AbortSignal, facts?: RequestFacts): MenteoError {
  if (error instanceof MenteoError) return error;
  const known = { method: facts?.method, idempotencyKey: facts?.idempotencyKey };
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
    const message = facts ? noAnswerMessage('aborted', error, facts) : undefined;
    return new MenteoAbortError(message, { ...known, cause: signal?.reason ?? error });
  }
  if (isHTTPError(error)) return problemFromResponse(error.response, error.data, error);
  if (isTimeoutError(error)) {
    return new MenteoTimeoutError(facts ? noAnswerMessage('timeout', error, facts) : error.message, { ...known, cause: error });
  }
  // Body read failures and runtimes whose network errors ky does not recognise are TypeErrors.
  if (isNetworkError(error) || error instanceof TypeError) {
    const reason = reasonOf(error);
    const message = facts ? noAnswerMessage(reason, error, facts) : error.message;
    return new MenteoNetworkError(message, { ...known, reason, cause: error });
  }
  return new MenteoError('network_error', error instanceof Error ? error.message : String(error), { cause: error });
}

export type { CallOptions };
