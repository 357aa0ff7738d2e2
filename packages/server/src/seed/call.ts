/**
 * A minimal typed caller for running operations against an in-process app (the seed uses it).
 * It is deliberately tiny: no retries, no token refresh. Applications use `@menteo/client`.
 * @module
 */
import { buildPath, type AnySchema, type Operation } from '@menteo/api/operation';
import type * as z from 'zod/mini';

/** A web-standard fetch handler. */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

type In<S> = S extends AnySchema ? z.input<S> : undefined;
type Out<S> = S extends AnySchema ? z.output<S> : undefined;

/** Arguments of one call, typed from the operation. */
export interface CallArgs<P, Q, B> {
  params?: In<P>;
  query?: In<Q>;
  body?: In<B>;
  /** Person id to act as (`Menteo-Act-As`). */
  actAs?: string;
}

/** Thrown when the app answers with an error status. */
export class CallError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    operationId: string,
  ) {
    super(`${operationId} failed with ${status}: ${JSON.stringify(body)}`);
    this.name = 'CallError';
  }
}

/** Binds a caller to an app, an API root and a secret API key. */
export function caller(app: FetchApp, baseUrl: string, apiKey: string) {
  return async function call<P extends AnySchema | undefined, Q extends AnySchema | undefined, B extends AnySchema | undefined, R extends AnySchema | undefined>(
    op: Operation<P, Q, B, R>,
    args: CallArgs<NoInfer<P>, NoInfer<Q>, NoInfer<B>> = {},
  ): Promise<Out<R>> {
    const url = new URL(buildPath(op.path, args.params as Record<string, string> | undefined), baseUrl);
    for (const [k, v] of Object.entries((args.query ?? {}) as Record<string, unknown>)) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const headers = new Headers({ authorization: `Bearer ${apiKey}` });
    if (args.actAs) headers.set('menteo-act-as', args.actAs);
    if (args.body !== undefined) headers.set('content-type', 'application/json');
    const response = await app.fetch(
      new Request(url, { method: op.method, headers, body: args.body === undefined ? undefined : JSON.stringify(args.body) }),
    );
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new CallError(response.status, body, op.id);
    return body as Out<R>;
  };
}
