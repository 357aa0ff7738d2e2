// fast-check arbitraries generated from the contract: from the JSON Schema of an operation's
// params, query and body (zod's own conversion, as the OpenAPI document uses), values that are
// mostly plausible (so requests get past validation into the handlers, where 500s hide) and
// often hostile: wrong types, boundary lengths, huge numbers, unicode, prototype keys.
import fc from 'fast-check';

/** The subset of JSON Schema that zod emits for the contract. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** Strings that break naive code: empty, blank, control and format characters, lone surrogates, long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', ' ', '\t\n', '\u0000', 'null', 'undefined', 'NaN', '-1', '1e309', '0x10', '[]', '{}', '__proto__', 'constructor',
    '\ud800', '\udfff', '\u202e\u2066rtl', 'e\u0301\u0301\u0301', '\ufeffbom', '😀👩‍👩‍👧‍👦', '<script>alert(1)</script>', "'; drop table posts; --",
    '../../etc/passwd', '%00', '%F0%9F%92%A9', 'javascript:alert(1)', 'http://', 'https://x', 'per_', 'room_00000000000000000000000000',
    '2026-02-30', '2026-13-01T00:00:00Z', '9999-12-31', 'x'.repeat(121), 'y'.repeat(4001), 'z'.repeat(10_001),
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Numbers at and past every boundary a schema might have. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 2 ** 31, -(2 ** 31), 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, Number.MIN_VALUE, 5e-324),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any JSON value, including objects carrying prototype keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":1}}}') as unknown) },
);

/** Ids that exist in the test world, by prefix (`room`, `per`, …), so requests reach real rows. */
export type IdPool = ReadonlyMap<string, readonly string[]>;

function idPrefix(pattern: string | undefined): string | undefined {
  return pattern === undefined ? undefined : /^\^([a-z]+)_\[/.exec(pattern)?.[1];
}

function matching(pattern: string): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return fc.string();
  }
}

/** A plausible value of the schema: valid more often than not. */
function plausible(schema: JsonSchema, ids: IdPool, depth: number): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueOf(s, ids, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const prefix = idPrefix(schema.pattern);
      const known = prefix ? ids.get(prefix) ?? [] : [];
      if (known.length > 0 && schema.pattern) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: matching(schema.pattern) });
      if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'date') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'uri' || schema.format === 'url') return fc.webUrl({ validSchemes: ['https'] });
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.pattern) return matching(schema.pattern);
      return fc.string({ minLength: Math.max(1, schema.minLength ?? 0), maxLength: Math.min(schema.maxLength ?? 60, 60) });
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(valueOf(schema.items ?? {}, ids, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'object':
      return depth > 3 ? fc.constant({}) : objectOf(schema, ids, depth + 1);
    default:
      return hostileJson;
  }
}

/** Values at a schema's edges: one past each length and range bound. */
function boundary(schema: JsonSchema): fc.Arbitrary<unknown> {
  const edges: unknown[] = [];
  if (schema.maxLength !== undefined) edges.push('m'.repeat(schema.maxLength), 'm'.repeat(schema.maxLength + 1));
  if (schema.minLength !== undefined) edges.push('m'.repeat(Math.max(0, schema.minLength - 1)));
  if (schema.maximum !== undefined) edges.push(schema.maximum, schema.maximum + 1, schema.maximum + 0.5);
  if (schema.minimum !== undefined) edges.push(schema.minimum, schema.minimum - 1);
  if (schema.maxItems !== undefined) edges.push(Array.from({ length: schema.maxItems + 1 }, () => 'i'));
  return edges.length > 0 ? fc.constantFrom(...edges) : hostileString;
}

/** A value for a schema: plausible, at its boundaries, or hostile of any type. */
export function valueOf(schema: JsonSchema, ids: IdPool, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: plausible(schema, ids, depth) },
    { weight: 1, arbitrary: boundary(schema) },
    { weight: 1, arbitrary: hostileJson },
  );
}

/** An object of the schema's fields: required ones usually present, optional ones sometimes, an unknown key rarely. */
export function objectOf(schema: JsonSchema, ids: IdPool, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(properties).map(([name, s]) =>
    fc.tuple(fc.constant(name), valueOf(s, ids, depth), fc.integer({ min: 0, max: 9 })).map(([n, v, roll]) => ({ name: n, value: v, keep: required.has(n) ? roll !== 0 : roll < 4 })));
  const extra = fc.option(fc.tuple(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'orgId')), hostileJson), { freq: 8 });
  return fc.tuple(fc.tuple(...fields), extra).map(([entries, unknownField]) => {
    // defineProperty keeps keys such as "__proto__" as own fields, as JSON.parse would.
    const out: Record<string, unknown> = {};
    for (const { name, value, keep } of entries) if (keep) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    if (unknownField) Object.defineProperty(out, unknownField[0], { value: unknownField[1], enumerable: true, writable: true, configurable: true });
    return out;
  });
}

/**
 * Header values `fetch` can send (Latin-1 without control characters, which undici refuses to
 * send; the raw-socket tests in http.test.ts cover those), hostile to the server all the same.
 */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', 'x'.repeat(201), 'x'.repeat(600), 'per_', 'per_01ARZ3NDEKTSV4RRFFQ69G5FAV', '-1', '1e400', 'null', 'é', '\u00ff\u00fe', 'Bearer', 'Bearer ', 'Basic Zm9vOmJhcg=='),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[\0-\x08\x0a-\x1f\x7f]/g, '')),
);
