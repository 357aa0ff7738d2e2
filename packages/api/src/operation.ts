/**
 * Operations: one declaration per HTTP endpoint, shared by the server (routing and validation),
 * the client (typed requests and response parsing) and the OpenAPI generator. A path, a method
 * or a schema is therefore written exactly once.
 *
 * This module declares no schema, so importing it costs nothing on the browser path.
 * @module
 */
import type { ZodMiniType } from 'zod/mini';
import type { Scope } from './scopes.js';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Any zod (mini) schema. */
export type AnySchema = ZodMiniType;

/** Who may call an operation, before room membership and audience rules are applied. */
export type OperationAuth =
  /** No credentials needed (health, the OpenAPI document). */
  | 'none'
  /** A secret API key only (host backends, scripts): never a browser token. */
  | 'key'
  /** An embed-session client secret in the body (the token exchange). */
  | 'client-secret'
  /** A secret API key or a person's access token. */
  | 'any';

/**
 * One endpoint of the API. `path` uses `{name}` placeholders, as OpenAPI does; `params` validates
 * them. Request bodies are strict objects (unknown fields are rejected); responses are parsed
 * leniently by the client so that new fields do not break old clients.
 */
export interface Operation<
  Params extends AnySchema | undefined = AnySchema | undefined,
  Query extends AnySchema | undefined = AnySchema | undefined,
  Body extends AnySchema | undefined = AnySchema | undefined,
  Response extends AnySchema | undefined = AnySchema | undefined,
> {
  /** Stable operation id, used as the OpenAPI `operationId`. */
  readonly id: string;
  readonly method: HttpMethod;
  /** Path template under the server root, e.g. `/v1/rooms/{roomId}`. */
  readonly path: string;
  /** One line for the reference documentation. */
  readonly summary: string;
  /**
   * What the operation does and when to use it, in a sentence or two: the OpenAPI `description`
   * that reference pages show under the summary.
   */
  readonly description: string;
  /** OpenAPI tag (the resource family). */
  readonly tag: string;
  readonly auth: OperationAuth;
  /** Scopes a token must carry; API keys carry the scopes they were created with. */
  readonly scopes: readonly Scope[];
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  /** Success status code. */
  readonly status: 200 | 201 | 202 | 204;
  /** Schema of the success body, or `undefined` for 204 and for streams. */
  readonly response: Response;
  /** Set for endpoints that answer `text/event-stream`. */
  readonly stream?: true;
  /** Media types of a download answered as a byte stream (an export), instead of one JSON body. */
  readonly produces?: readonly string[];
}

/** Declares an operation, keeping its literal types for inference. */
export function defineOperation<
  const Params extends AnySchema | undefined = undefined,
  const Query extends AnySchema | undefined = undefined,
  const Body extends AnySchema | undefined = undefined,
  const Response extends AnySchema | undefined = undefined,
>(op: {
  id: string;
  method: HttpMethod;
  path: string;
  summary: string;
  description: string;
  tag: string;
  auth?: OperationAuth;
  scopes?: readonly Scope[];
  params?: Params;
  query?: Query;
  body?: Body;
  status?: 200 | 201 | 202 | 204;
  response?: Response;
  stream?: true;
  produces?: readonly string[];
}): Operation<Params, Query, Body, Response> {
  return {
    auth: 'any',
    scopes: [],
    status: op.method === 'POST' ? 201 : 200,
    ...op,
    params: op.params as Params,
    query: op.query as Query,
    body: op.body as Body,
    response: op.response as Response,
  };
}

/** Fills `{name}` placeholders of an operation's path, URL-encoding every value. */
export function buildPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/\{([a-zA-Z]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new TypeError(`missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
}
