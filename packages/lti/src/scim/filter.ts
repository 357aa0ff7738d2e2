/**
 * SCIM filters, parsed by `scim2-parse-filter`. Equality on indexed attributes (the filters Okta
 * and Entra send: `userName eq`, `externalId eq`, `displayName eq`, `id eq`, and `and` of them)
 * runs in SQL; any other filter is evaluated on the organization's documents in memory.
 * @module
 */
import { filter as compile, parse, type Filter } from 'scim2-parse-filter';
import { ScimError } from './errors.js';

/** Parses a filter; a syntax error is a SCIM `invalidFilter`. */
export function parseFilter(text: string): Filter {
  try {
    return parse(text);
  } catch (error) {
    throw new ScimError(400, `The filter could not be read: ${error instanceof Error ? error.message : String(error)}`, 'invalidFilter');
  }
}

/**
 * Equality conditions on indexed columns, or undefined when the filter needs more than that.
 * `columns` maps lower-cased attribute names to column names.
 */
export function equalities<C extends string>(f: Filter, columns: Record<string, C>): { column: C; value: string }[] | undefined {
  if (f.op === 'eq' && 'attrPath' in f && typeof f.compValue === 'string') {
    const column = columns[f.attrPath.toLowerCase()];
    return column ? [{ column, value: f.compValue }] : undefined;
  }
  if (f.op === 'and' && 'filters' in f) {
    const parts = f.filters.map((part) => equalities(part, columns));
    return parts.every((p) => p !== undefined) ? parts.flat() as { column: C; value: string }[] : undefined;
  }
  return undefined;
}

/** An in-memory predicate for any supported filter. */
export function predicate(f: Filter): (doc: Record<string, unknown>) => boolean {
  const test = compile(f);
  return (doc) => {
    try {
      return test(doc);
    } catch {
      return false;
    }
  };
}
