// Retry timing as pure functions: the exponential ceiling, full jitter and Retry-After parsing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, exponentialCeiling, fullJitter, parseRetryAfter } from '../src/backoff.js';

test('the ceiling doubles per retry from the base and stops at the cap', () => {
  const opts = { baseDelay: 100, maxDelay: 1000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => exponentialCeiling(n, opts)), [100, 200, 400, 800, 1000, 1000]);
  assert.equal(exponentialCeiling(1), 300, 'default base is 300 ms');
});

test('full jitter spans [0, ceiling): the extremes of the random source map to the extremes of the window', () => {
  assert.equal(fullJitter(800, () => 0), 0);
  assert.equal(fullJitter(800, () => 0.5), 400);
  assert.equal(fullJitter(800, () => 0.999999), 799);
  assert.equal(backoffDelay(3, { baseDelay: 100, random: () => 0.5 }), 200);
});

test('full jitter actually spreads: 1000 draws cover the window and none exceeds it', () => {
  const draws = Array.from({ length: 1000 }, () => backoffDelay(4, { baseDelay: 100 }));
  assert.ok(draws.every((d) => d >= 0 && d < 800));
  assert.ok(Math.min(...draws) < 100 && Math.max(...draws) > 700, 'draws should cover most of [0, 800)');
});

test('Retry-After in seconds', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(' 0 '), 0);
});

test('Retry-After as an HTTP date, relative to now; past dates mean no wait', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  assert.equal(parseRetryAfter('Wed, 25 Nov 2026 12:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now), 0);
});

test('absent or garbage Retry-After is undefined, not NaN or 0', () => {
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter('-1'), undefined);
  assert.equal(parseRetryAfter('1.5'), undefined);
});
