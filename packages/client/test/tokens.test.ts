// The in-memory token holder: refresh before expiry, single-flight refreshes, stale-token reuse.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenSource, type IssuedToken } from '../src/tokens.js';

function counter(lifetimeSeconds = 100) {
  let calls = 0;
  const release: Array<() => void> = [];
  const exchange = () =>
    new Promise<IssuedToken>((resolve) => {
      calls += 1;
      const n = calls;
      release.push(() => resolve({ accessToken: `t${n}`, expiresIn: lifetimeSeconds }));
    });
  return { exchange, calls: () => calls, releaseAll: () => release.splice(0).forEach((r) => r()) };
}

test('concurrent callers share one exchange', async () => {
  const c = counter();
  const source = new TokenSource(c.exchange);
  const waiting = Promise.all(Array.from({ length: 10 }, () => source.get()));
  await Promise.resolve();
  c.releaseAll();
  assert.deepEqual(new Set(await waiting), new Set(['t1']));
  assert.equal(c.calls(), 1);
});

test('the token is reused while fresh and refreshed a fifth of its lifetime before expiry', async () => {
  let now = 0;
  const c = counter(100);
  const source = new TokenSource(c.exchange, () => now);
  const first = source.get();
  c.releaseAll();
  assert.equal(await first, 't1');
  now = 79_000;
  assert.equal(await source.get(), 't1', 'still fresh at 79 s of 100 s');
  now = 80_000;
  const second = source.get();
  c.releaseAll();
  assert.equal(await second, 't2', 'refreshed at 80 s (20 s margin)');
  assert.equal(c.calls(), 2);
});

test('a refresh for a stale token that someone already replaced reuses the new one', async () => {
  const c = counter();
  const source = new TokenSource(c.exchange);
  const p = source.get();
  c.releaseAll();
  await p;
  const r1 = source.refresh('t1');
  const r2 = source.refresh('t1');
  c.releaseAll();
  assert.equal(await r1, 't2');
  assert.equal(await r2, 't2');
  assert.equal(await source.refresh('t1'), 't2', 'late 401 of the old token does not refresh again');
  assert.equal(c.calls(), 2);
});

test('a failed exchange rejects every waiter and the next call tries again', async () => {
  let calls = 0;
  const source = new TokenSource(async () => {
    calls += 1;
    if (calls === 1) throw new Error('host backend down');
    return { accessToken: 'ok', expiresIn: 60 };
  });
  const results = await Promise.allSettled([source.get(), source.get()]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal(await source.get(), 'ok');
  assert.equal(calls, 2);
});
