/**
 * Types derived from the contract's operations: what a call takes and what it returns. Type
 * only: nothing here exists at run time.
 * @module
 */
import type { AnySchema, Operation } from '@menteo/api/operation';
import type { Page } from '@menteo/api/common';
import type { EventPosition } from './live/position.js';

/** The parsed (output) type of a schema; `undefined` when the operation has none. */
export type Output<S> = S extends AnySchema ? S['_zod']['output'] : undefined;

/** Options every call accepts. */
export interface CallOptions {
  /** Cancels the call, including any retry waits. */
  signal?: AbortSignal | undefined;
  /**
   * The `Idempotency-Key` of a write. Generated per call when omitted and reused by every retry
   * of that call; pass your own to make a write idempotent across calls (a draft's id, say).
   */
  idempotencyKey?: string | undefined;
  /** With an API key: act as this person (`Menteo-Act-As`), overriding the client's `actAs`. */
  actAs?: string | undefined;
  /** Per-attempt timeout in milliseconds, overriding the client's. */
  timeout?: number | false | undefined;
  /** Extra request headers. */
  headers?: Record<string, string> | undefined;
  /**
   * Records where the answer stands in the event log (`Menteo-Event-Position`), to start a live
   * subscription there: `client.events.position()` makes one, shared by the reads of a load.
   */
  position?: EventPosition | undefined;
}

/** Options of a list call: cancellation, headers, acting person (the cursor belongs to the iterator). */
export type ListOptions = Omit<CallOptions, 'idempotencyKey'>;

type ParamsPart<Op extends Operation> = Op['params'] extends AnySchema
  ? { params: Output<Op['params']> }
  : { params?: undefined };
type QueryPart<Op extends Operation> = Op['query'] extends AnySchema
  ? { query?: Partial<Output<Op['query']>> | undefined }
  : { query?: undefined };
type BodyPart<Op extends Operation> = Op['body'] extends AnySchema
  ? { body: Output<Op['body']> }
  : { body?: undefined };

/** What {@link Transport.request} takes for an operation: its params, query and body, typed. */
export type RequestInput<Op extends Operation> = ParamsPart<Op> & QueryPart<Op> & BodyPart<Op> & CallOptions;

/** What an operation answers: its response type, `unknown` for schemaless JSON, `undefined` for 204. */
export type ResponseOf<Op extends Operation> = Op['response'] extends AnySchema ? Output<Op['response']> : unknown;

/** The item type of a list operation. */
export type ItemOf<Op extends Operation> = ResponseOf<Op> extends Page<infer T> ? T : never;

/** The query of a list operation, without the cursor (the iterator owns it). */
export type ListQuery<Op extends Operation> = Op['query'] extends AnySchema
  ? Partial<Output<Op['query']>>
  : Record<string, never>;

export type { Page };
