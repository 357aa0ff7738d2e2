/**
 * Naming why a request got no answer. Runtimes bury the cause: Node's fetch throws
 * `TypeError: fetch failed` with the system error (`ECONNREFUSED`…) one or two `cause`s down,
 * and ky wraps that once more. A script developer needs the cause in the message, and needs to
 * know whether the write may exist on the server.
 * @module
 */
import type { NoAnswerReason } from './errors.js';

/** What the transport knows about the request that failed. */
export interface RequestFacts {
  method: string;
  /** The URL the request went to. */
  url: string;
  idempotencyKey?: string | undefined;
  /** The per-attempt timeout in force, in ms. */
  timeout?: number | false | undefined;
}

const BY_CODE: Readonly<Record<string, NoAnswerReason>> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ECONNABORTED: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EAI_FAIL: 'dns',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
};

/** The first system error code (`ECONNREFUSED`, `UND_ERR_SOCKET`…) along the `cause` chain. */
export function systemCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classifies a network failure by its system code; a body cut mid-way ("terminated") is a reset. */
export function reasonOf(error: unknown): NoAnswerReason {
  const code = systemCode(error);
  if (code !== undefined && BY_CODE[code] !== undefined) return BY_CODE[code];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth += 1) {
    if (/terminated|other side closed|socket hang up/i.test(current.message)) return 'connection_reset';
    current = current.cause;
  }
  return 'unknown';
}

function describeReason(reason: NoAnswerReason, code: string | undefined, facts: RequestFacts): string {
  const host = safeHost(facts.url);
  const why = code === undefined ? '' : ` (${code})`;
  switch (reason) {
    case 'connection_refused':
      return `connection refused by ${host}${why}`;
    case 'connection_reset':
      return `connection to ${host} reset before the answer arrived${why}`;
    case 'dns':
      return `DNS lookup of ${host} failed${why}`;
    case 'timeout':
      return typeof facts.timeout === 'number' ? `timed out after ${facts.timeout} ms${why}` : `timed out${why}`;
    case 'aborted':
      return 'aborted by the caller';
    case 'unknown':
      return `network error reaching ${host}${why}`;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * The message of a no-answer error: the request, the cause, and what it means for a write
 * ("may have been applied", "safe to retry with the same Idempotency-Key").
 */
export function noAnswerMessage(reason: NoAnswerReason, cause: unknown, facts: RequestFacts): string {
  const code = reason === 'aborted' || reason === 'timeout' ? undefined : systemCode(cause);
  const head = `${facts.method} ${safePath(facts.url)}: ${describeReason(reason, code, facts)}.`;
  const read = facts.method === 'GET' || facts.method === 'HEAD';
  if (read) return `${head} Safe to retry.`;
  const applied = reason === 'connection_refused' || reason === 'dns' ? 'The write was not applied.' : 'The write may have been applied.';
  const retry = facts.idempotencyKey === undefined
    ? 'Retrying without an Idempotency-Key could apply it twice.'
    : `Safe to retry with the same Idempotency-Key (${facts.idempotencyKey}).`;
  return `${head} ${applied} ${retry}`;
}
