/**
 * The non-standard shapes Microsoft Entra ID and Okta send, turned into standard SCIM before
 * anything else looks at them:
 * - booleans as strings (`"True"`, `"False"`, any case), e.g. `active` and `primary`;
 * - capitalised operation names (`Add`, `Replace`, `Remove`);
 * - `manager` as a bare id string instead of `{ value }`;
 * - `replace` without a path carrying read-only attributes (`id`, `meta`, `schemas`).
 * - member removal as `{ op: "Remove", path: "members", value: [{ value, $ref: null }] }`.
 * `replace` on a missing attribute acting as `add` and `Add` on single-valued `active` are
 * handled by scim-patch itself (its default `treatMissingAsAdd`).
 * @module
 */
import { URN } from './discovery.js';

/** `"True"` / `"false"` → boolean; anything else unchanged. */
export function toBoolean(value: unknown): unknown {
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Normalizes a User document in place and returns it. */
export function normalizeUser(doc: Record<string, unknown>): Record<string, unknown> {
  if ('active' in doc) doc['active'] = toBoolean(doc['active']);
  for (const key of ['emails', 'phoneNumbers', 'roles', 'addresses']) {
    const list = doc[key];
    if (Array.isArray(list)) for (const item of list) if (isRecord(item) && 'primary' in item) item['primary'] = toBoolean(item['primary']);
  }
  const enterprise = doc[URN.enterprise];
  if (isRecord(enterprise)) {
    const manager = enterprise['manager'];
    if (typeof manager === 'string') enterprise['manager'] = manager === '' ? null : { value: manager };
  }
  return doc;
}

/** One PATCH operation after normalization. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
}

const READ_ONLY = ['id', 'meta', 'schemas', 'groups'];

/** Normalizes a PatchOp body's operations; throws a plain Error when the body is not one. */
export function normalizeOperations(body: unknown): PatchOperation[] {
  if (!isRecord(body)) throw new Error('The PATCH body must be a JSON object.');
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || !schemas.includes(URN.patch)) throw new Error(`The PATCH body must name the schema ${URN.patch}.`);
  const operations = body['Operations'] ?? body['operations'];
  if (!Array.isArray(operations) || operations.length === 0) throw new Error('The PATCH body has no Operations.');
  return operations.flatMap((raw, index): PatchOperation[] => {
    if (!isRecord(raw)) throw new Error(`Operation ${index + 1} is not an object.`);
    const op = typeof raw['op'] === 'string' ? raw['op'].toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw new Error(`Operation ${index + 1} has an unknown op "${String(raw['op'])}".`);
    const path = typeof raw['path'] === 'string' && raw['path'] !== '' ? raw['path'] : undefined;
    let value = raw['value'];
    if (path === undefined && isRecord(value)) {
      value = { ...value };
      for (const key of READ_ONLY) delete (value as Record<string, unknown>)[key];
    }
    if (path !== undefined && /^active$/i.test(path)) value = toBoolean(value);
    // Entra removes members with a value list whose items carry extra keys (`$ref: null`);
    // scim-patch compares whole items, so remove each member by a value filter instead.
    if (op === 'remove' && path !== undefined && /^members$/i.test(path) && Array.isArray(value)) {
      return value
        .map((item) => (isRecord(item) ? item['value'] : undefined))
        .filter((id): id is string => typeof id === 'string')
        .map((id) => ({ op: 'remove' as const, path: `members[value eq ${JSON.stringify(id)}]` }));
    }
    return [{ op, ...(path !== undefined ? { path } : {}), ...(value !== undefined ? { value } : {}) }];
  });
}
