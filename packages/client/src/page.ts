/**
 * Cursor pagination: a list call returns a {@link PageRequest}, which is both a promise of the
 * first page and an async iterable of every item across all pages.
 * @module
 */
import type { Page } from '@menteo/api/common';

/** Fetches the page that starts at `cursor` (`undefined` for the first page). */
export type PageFetcher<T> = (cursor: string | undefined) => Promise<Page<T>>;

/**
 * The answer of every list call.
 *
 * - `await client.rooms.list()` gives one {@link Page} (`items` and `nextCursor`).
 * - `for await (const room of client.rooms.list())` walks every item of every page, fetching
 *   the next page only when the previous one is used up.
 * - `.pages()` walks page by page; `.toArray()` collects (with an optional cap).
 *
 * Nothing is fetched until the request is awaited or iterated, so building one is free. Awaiting
 * it twice reuses the first answer; each iteration starts again from the first page (which is
 * reused if it was already fetched by `await`).
 */
export class PageRequest<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  readonly #fetch: PageFetcher<T>;
  readonly #startCursor: string | undefined;
  #first: Promise<Page<T>> | undefined;

  /** @param fetch fetches one page; @param startCursor where the first page starts. */
  constructor(fetch: PageFetcher<T>, startCursor?: string) {
    this.#fetch = fetch;
    this.#startCursor = startCursor;
  }

  #firstPage(): Promise<Page<T>> {
    this.#first ??= this.#fetch(this.#startCursor);
    return this.#first;
  }

  /** Resolves with the first page. */
  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((value: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  /** Every page in order, until the last one (`nextCursor: null`). */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let page = await this.#firstPage();
    yield page;
    while (page.nextCursor !== null) {
      page = await this.#fetch(page.nextCursor);
      yield page;
    }
  }

  /** Every item of every page. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Collects items across pages, stopping after `max` items (all of them by default). */
  async toArray(max = Number.POSITIVE_INFINITY): Promise<T[]> {
    const out: T[] = [];
    if (max <= 0) return out;
    for await (const item of this) {
      out.push(item);
      if (out.length >= max) break;
    }
    return out;
  }
}
