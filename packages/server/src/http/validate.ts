/**
 * Validation with the contract's schemas, and zod issues turned into field errors.
 * @module
 */
import type { AnySchema } from '@menteo/api/operation';
import type { FieldError } from '@menteo/api/problem';
import * as z from 'zod/mini';
import { ApiError } from './errors.js';

/** Where a value came from, which decides how a field is named. */
export type Source = 'params' | 'query' | 'body';

/** Parses `value` with `schema` or throws 400 `invalid_request` naming every offending field. */
export function validate(schema: AnySchema | undefined, value: unknown, source: Source): unknown {
  if (schema === undefined) return undefined;
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues, source);
  const first = errors[0];
  const what = source === 'body' ? 'The body' : source === 'query' ? 'The query' : 'The path';
  throw new ApiError('invalid_request', first ? `${what} is not valid: ${first.field}: ${first.message}` : `${what} is not valid.`, {
    field: first?.field,
    errors,
  });
}

interface IssueLike {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
}

/** Field errors of zod issues; unknown keys are reported at the key itself. */
export function fieldErrors(issues: readonly IssueLike[], source: Source): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map((p) => String(p));
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) out.push({ field: name([...base, key], source), message: 'unknown field' });
    } else {
      out.push({ field: name(base, source), message: issue.message });
    }
  }
  return out;
}

function name(path: string[], source: Source): string {
  // An empty key ({"": 1}) is named `""`, so the field is never an empty string.
  if (path.length > 0) return path.map((p) => (p === '' ? '""' : p)).join('.');
  return source === 'body' ? 'body' : source;
}
