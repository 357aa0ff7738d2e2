/**
 * <menteo-post-list> on its own: a host hands it posts (here from the real server app) and a
 * `loadMore` function; the list windows them and follows the WAI-ARIA feed pattern.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/post-list.js';
import type { MenteoPostList } from './post-list.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';

const world = useWorld();

function articles(list: MenteoPostList): HTMLElement[] {
  return $$(list, 'menteo-post').map((p) => $(p, 'article'));
}

describe('<menteo-post-list>', () => {
  it('renders the posts it is given as a feed, moves with Page Down / Page Up, and asks for more near the end', async () => {
    const set = await world.newRoom();
    for (let i = 1; i <= 4; i += 1) await world.postAs(set.mentor, set.room.id, `Listed post ${i}`);
    const page = await world.as(set.mentee).posts.list({ roomId: set.room.id, limit: 4 });
    const { el } = await mountAs<MenteoPostList>(world, set.mentee, 'menteo-post-list', { label: 'Search results' });
    let asked = 0;
    el.loadMore = () => {
      asked += 1;
    };
    el.hasMore = true;
    el.posts = page.items;
    await until(() => articles(el).length === 4, 'four posts');
    expect($(el, '[role=feed]').getAttribute('aria-label')).to.equal('Search results');
    expect(articles(el).map((a) => a.getAttribute('aria-setsize'))).to.deep.equal(['-1', '-1', '-1', '-1']);
    // Four posts and more to come: the end is near, so it asks.
    await until(() => asked > 0, 'loadMore called');
    await expectAccessible(el);
    articles(el)[0]!.focus();
    await sendKeys({ press: 'PageDown' });
    await until(() => deepActiveElement()?.getAttribute('aria-posinset') === '2', 'second post');
    await sendKeys({ press: 'PageUp' });
    await until(() => deepActiveElement()?.getAttribute('aria-posinset') === '1', 'first post');
    el.hasMore = false;
    await el.updateComplete;
    expect(articles(el).map((a) => a.getAttribute('aria-setsize'))).to.deep.equal(['4', '4', '4', '4']);
    expect($(el, '[data-after-feed]').textContent).to.contain('caught up');
  });

  it('renders nothing, not an empty feed, without posts', async () => {
    const { el } = await mountAs<MenteoPostList>(world, (await world.newRoom()).mentee, 'menteo-post-list');
    expect($$(el, '[role=feed]').length).to.equal(0);
    await expectAccessible(el);
  });
});
