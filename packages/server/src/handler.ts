/**
 * Handlers typed from the contract: the arguments are the parsed params, query and body of the
 * operation's schemas, and the result is the operation's response type. A handler may also return
 * a ready `Response` (event streams).
 * @module
 */
import type { AnySchema, Operation } from '@menteo/api/operation';
import type * as z from 'zod/mini';
import type { Context, PublicContext } from './context.js';

type Parsed<S> = S extends AnySchema ? z.output<S> : undefined;
type Result<R> = R extends AnySchema ? z.output<R> : void;

/** Arguments of a handler of operation `Op`. */
export interface HandlerArgs<P, Q, B, C> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  ctx: C;
}

/** A handler bound to its operation, as the router sees it. */
export interface BoundHandler {
  readonly op: Operation;
  readonly run: (args: { params: unknown; query: unknown; body: unknown; ctx: Context | PublicContext }) => Promise<unknown>;
}

/** Binds a handler to an authenticated operation. */
export function handle<P extends AnySchema | undefined, Q extends AnySchema | undefined, B extends AnySchema | undefined, R extends AnySchema | undefined>(
  op: Operation<P, Q, B, R>,
  fn: (args: HandlerArgs<NoInfer<P>, NoInfer<Q>, NoInfer<B>, Context>) => Promise<Result<NoInfer<R>> | Response>,
): BoundHandler {
  return { op, run: fn as BoundHandler['run'] };
}

/** Binds a handler to an operation that needs no authenticated caller. */
export function handlePublic<P extends AnySchema | undefined, Q extends AnySchema | undefined, B extends AnySchema | undefined, R extends AnySchema | undefined>(
  op: Operation<P, Q, B, R>,
  fn: (args: HandlerArgs<NoInfer<P>, NoInfer<Q>, NoInfer<B>, PublicContext>) => Promise<Result<NoInfer<R>> | Response>,
): BoundHandler {
  return { op, run: fn as BoundHandler['run'] };
}
