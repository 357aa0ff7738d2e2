import { expect } from '@open-wc/testing';
import { DraftStore, newIdempotencyKey } from './draft-store.js';
import '../test-support/index.js';

describe('DraftStore', () => {
  afterEach(() => localStorage.clear());

  it('keeps a draft in localStorage under its own key until cleared', () => {
    const a = new DraftStore('feed:a:post');
    const b = new DraftStore('feed:b:post');
    a.save('half a thought', { audience: 'org' });
    expect(b.load()).to.equal(undefined);
    // A fresh store with the same key reads what a reload would read.
    const reloaded = new DraftStore('feed:a:post').load();
    expect(reloaded?.text).to.equal('half a thought');
    expect(reloaded?.fields).to.deep.equal({ audience: 'org' });
    a.clear();
    expect(new DraftStore('feed:a:post').load()).to.equal(undefined);
    expect(localStorage.length).to.equal(0);
  });

  it('removes an empty draft instead of storing it', () => {
    const s = new DraftStore('x');
    s.save('text');
    s.save('   ');
    expect(localStorage.length).to.equal(0);
  });

  it('keeps a pending idempotency key so a retry after reload reuses it', () => {
    const s = new DraftStore('x');
    const key = newIdempotencyKey();
    s.save('posting', {}, key);
    expect(new DraftStore('x').load()?.idempotencyKey).to.equal(key);
  });

  it('drops drafts older than a month', () => {
    const s = new DraftStore('old');
    s.save('stale');
    expect(s.load(Date.now() + 31 * 24 * 3600 * 1000)).to.equal(undefined);
  });

  it('ignores corrupt stored data', () => {
    localStorage.setItem('menteo:draft:v1:bad', '{not json');
    expect(new DraftStore('bad').load()).to.equal(undefined);
  });
});
