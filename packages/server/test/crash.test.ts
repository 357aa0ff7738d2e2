// The crash suite, small variant (npm test): the real server is kill -9'd 8 times during
// idempotent writes from the real client and restarted on the same SQLite file. Every
// acknowledged write must be stored exactly once, none twice, and the file must be sound.
// The long variant is scripts/crash-soak.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCrashCampaign } from './support/crash-campaign.js';

/** A small deterministic generator, so kill times repeat from run to run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('crash safety', () => {
  it('kill -9 during idempotent writes: 0 lost, 0 duplicated, integrity ok', async () => {
    const figures = await runCrashCampaign({ kills: 8, writers: 8, uptimeMs: [400, 1500], random: seeded(20261129) });
    console.log(`# crash: ${JSON.stringify(figures)}`);
    assert.ok(figures.writes > 100, `only ${figures.writes} writes`);
    assert.equal(figures.unacknowledged, 0);
    assert.equal(figures.lost, 0);
    assert.equal(figures.duplicated, 0);
    assert.equal(figures.mismatched, 0);
    assert.equal(figures.integrity, 'ok');
  });
});
