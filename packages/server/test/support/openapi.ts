// Validates every response against the published OpenAPI document (fetched from the server
// under test), with ajv's JSON Schema 2020-12 dialect: the document is what clients rely on.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

interface Route {
  method: string;
  pattern: RegExp;
  operation: Json;
}

/** A validator bound to one OpenAPI document. */
export class OpenApiValidator {
  readonly #ajv: InstanceType<typeof Ajv2020>;
  readonly #routes: Route[] = [];
  readonly #cache = new Map<string, ValidateFunction>();
  /** How many responses were checked (tests assert it grows, so validation cannot silently stop). */
  checked = 0;

  constructor(document: Json) {
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (ajv: unknown) => void)(this.#ajv);
    this.#ajv.addSchema({ $id: 'menteo', components: document.components }, 'menteo');
    for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
      const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`);
      for (const [method, operation] of Object.entries(item)) this.#routes.push({ method: method.toUpperCase(), pattern, operation: operation as Json });
    }
  }

  #schema(ref: string): ValidateFunction {
    let fn = this.#cache.get(ref);
    if (!fn) {
      fn = this.#ajv.compile({ $ref: `menteo${ref}` });
      this.#cache.set(ref, fn);
    }
    return fn;
  }

  /** Validates one LiveEvent (an SSE `data:` payload). */
  liveEvent(data: unknown): void {
    const fn = this.#schema('#/components/schemas/LiveEvent');
    if (!fn(data)) throw new Error(`LiveEvent does not match the document: ${this.#ajv.errorsText(fn.errors)}\n${JSON.stringify(data).slice(0, 500)}`);
    this.checked++;
  }

  /**
   * Validates a response to `method path`: its status must be declared (exactly, or by a 4XX/5XX
   * range), its content type must be the declared one, and its body must match the schema.
   */
  response(method: string, pathname: string, status: number, contentType: string | null, body: unknown): void {
    const route = this.#routes.find((r) => r.pattern.test(pathname) && r.method === (method === 'HEAD' ? 'GET' : method));
    const where = `${method} ${pathname} → ${status}`;
    let ref: string | undefined;
    let type: string | undefined;
    if (!route) {
      // Unknown routes and wrong methods answer problems.
      ref = '#/components/schemas/Problem';
      type = 'application/problem+json';
    } else {
      const responses = route.operation.responses as Record<string, Json>;
      const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
      if (!declared) throw new Error(`${where}: status not declared in the OpenAPI document`);
      const content = declared.content as Record<string, Json> | undefined;
      if (!content) {
        if (body !== undefined && body !== '') throw new Error(`${where}: a body where the document declares none`);
        this.checked++;
        return;
      }
      // A download may declare several media types (CSV or JSON): the one answered must be among them.
      const answered = (contentType ?? '').split(';')[0]?.trim() ?? '';
      const types = Object.keys(content);
      type = types.includes(answered) ? answered : types[0];
      const schema = content[type ?? '']?.schema as Json | undefined;
      ref = typeof schema?.$ref === 'string' ? schema.$ref : undefined;
      if (type === 'text/event-stream') {
        this.checked++;
        return;
      }
    }
    const actual = (contentType ?? '').split(';')[0]?.trim();
    if (actual !== type) throw new Error(`${where}: content type ${actual} but the document says ${type}`);
    if (ref) {
      const fn = this.#schema(ref);
      if (!fn(body)) throw new Error(`${where}: body does not match ${ref}: ${this.#ajv.errorsText(fn.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
    }
    this.checked++;
  }
}
