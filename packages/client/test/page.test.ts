// PageRequest: awaitable first page, async iteration over every page, laziness.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PageRequest } from '../src/page.js';

function pages(total: number, size: number) {
  const calls: Array<string | undefined> = [];
  const fetch = async (cursor: string | undefined) => {
    calls.push(cursor);
    const start = cursor === undefined ? 0 : Number(cursor);
    const items = Array.from({ length: Math.min(size, total - start) }, (_, i) => start + i);
    const next = start + size < total ? String(start + size) : null;
    return { items, nextCursor: next };
  };
  return { fetch, calls };
}

test('nothing is fetched until awaited or iterated', async () => {
  const p = pages(5, 2);
  const request = new PageRequest(p.fetch);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(p.calls.length, 0);
  void request;
});

test('await gives the first page only', async () => {
  const p = pages(5, 2);
  const page = await new PageRequest(p.fetch);
  assert.deepEqual(page, { items: [0, 1], nextCursor: '2' });
  assert.deepEqual(p.calls, [undefined]);
});

test('for await walks every item across pages, reusing an already awaited first page', async () => {
  const p = pages(5, 2);
  const request = new PageRequest(p.fetch);
  await request;
  const seen: number[] = [];
  for await (const n of request) seen.push(n);
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  assert.deepEqual(p.calls, [undefined, '2', '4']);
});

test('breaking out early fetches no further pages; toArray caps', async () => {
  const p = pages(100, 10);
  for await (const n of new PageRequest(p.fetch)) if (n === 3) break;
  assert.equal(p.calls.length, 1);
  assert.deepEqual(await new PageRequest(pages(100, 10).fetch).toArray(12), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test('an empty list iterates nothing', async () => {
  const p = pages(0, 10);
  assert.deepEqual(await new PageRequest(p.fetch).toArray(), []);
});
