/**
 * Building blocks shared by every resource: identifiers, timestamps, text limits, the cursor
 * pagination envelope and its query.
 * @module
 */
import * as z from 'zod/mini';

/**
 * A resource identifier: a short prefix naming the resource kind, an underscore and a
 * time-sortable ULID (`room_01J…`). Ordering by id is ordering by creation time.
 */
export function id<const Prefix extends string>(prefix: Prefix) {
  return z.string().check(
    z.regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefix}_… identifier`),
  );
}

/** An instant, ISO 8601 with offset (`2026-11-25T18:51:03.000Z`). */
export const Timestamp = z.iso.datetime({ offset: true });

/** A calendar date (`2026-12-24`), for due dates and session dates. */
export const DateOnly = z.iso.date();

/** Trimmed, non-empty text of at most `max` characters. */
export function text(max: number) {
  return z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max));
}

/** Optional longer text that may be empty. */
export function longText(max: number) {
  return z.string().check(z.trim(), z.maxLength(max));
}

/** A lowercase skill or tag slug (`system-design`). */
export const Skill = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.regex(/^[a-z0-9][a-z0-9+#.-]{0,39}$/, 'must be a short lowercase slug such as system-design'),
);

/** At most 20 distinct skills. */
export const Skills = z.array(Skill).check(z.maxLength(20));

/** An absolute http(s) URL. */
export const HttpUrl = z.httpUrl();

/** The opaque cursor of a page; clients pass back what the server gave them. */
export const Cursor = z.string().check(z.minLength(1), z.maxLength(200));

/** Query parameters of every list endpoint. */
export const PageQuery = z.strictObject({
  /** Page size, 1–100, 20 by default. */
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
  /** The `nextCursor` of the previous page. */
  cursor: z.optional(Cursor),
});

/** The query of a list endpoint with extra filters. */
export function pageQuery<const Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject({ ...PageQuery.shape, ...shape });
}

/** A page of results: `items` newest first unless the endpoint says otherwise. */
export function page<const Item extends z.ZodMiniType>(item: Item) {
  return z.object({
    items: z.array(item),
    /** Pass as `cursor` to get the next page; `null` on the last page. */
    nextCursor: z.nullable(Cursor),
  });
}

/** The shape of any page, for code that walks pages generically. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
