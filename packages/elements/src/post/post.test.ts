/**
 * <menteo-post> on its own (a host showing one post), against the real server app. The feed's
 * tests cover posts inside a list: names, deleting, focus, live reactions.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/post.js';
import type { MenteoPost } from './post.js';
import { excerpt } from './post.js';
import { $, $$, deepActiveElement, expectAccessible, until } from '../test-support/index.js';
import { focusIndicatorProblem, forcedColors } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';

const world = useWorld();

describe('<menteo-post>', () => {
  afterEach(() => forcedColors(false));

  it('shows one post given as a property, reacts with its own live regions, and keeps focus on the button', async () => {
    const set = await world.newRoom();
    const post = await world.postAs(set.mentor, set.room.id, '**Shipped** the migration');
    const { el } = await mountAs<MenteoPost>(world, set.mentee, 'menteo-post');
    el.post = await world.as(set.mentee).posts.get(post.id);
    await el.updateComplete;
    const article = $(el, 'article');
    expect(article.getAttribute('aria-label')).to.equal('Max Mentor: Shipped the migration');
    expect(article.hasAttribute('aria-posinset')).to.equal(false);
    expect($(el, '.post__body strong').textContent).to.equal('Shipped');
    // Not the author: no delete.
    expect($$(el, '[part~=delete-button]').length).to.equal(0);
    await expectAccessible(el);
    const applause = $<HTMLButtonElement>(el, 'button.reaction');
    applause.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => applause.getAttribute('aria-pressed') === 'true' && !applause.disabled, 'reaction saved');
    await until(() => deepActiveElement() === applause, 'focus on the button');
    world.mock.use(world.mock.faults.status(500, { method: 'DELETE', path: /\/reactions\// }).handler);
    applause.click();
    await until(() => $(el, '[data-announcer=assertive]').textContent?.includes('not saved'), 'the failure announced by the post');
    expect(applause.getAttribute('aria-pressed')).to.equal('true');
  });

  it("offers its author a delete that asks first, and shows focus in forced-colors mode", async () => {
    const set = await world.newRoom();
    const post = await world.postAs(set.mentee, set.room.id, 'Mine to delete');
    const { el } = await mountAs<MenteoPost>(world, set.mentee, 'menteo-post');
    el.post = post;
    await el.updateComplete;
    const del = await until(() => $$<HTMLButtonElement>(el, '[part~=delete-button]')[0], 'the delete button');
    del.click();
    await until(() => deepActiveElement()?.getAttribute('data-delete') === 'cancel', 'focus on Keep it');
    await expectAccessible(el);
    await forcedColors(true);
    for (const target of [$(el, 'article'), $(el, '[data-delete=cancel]'), $(el, '[data-delete=confirm]'), $(el, 'button.reaction')]) {
      expect(await focusIndicatorProblem(target)).to.equal('');
    }
  });

  it('names a post by its first words, without markdown marks', () => {
    expect(excerpt('# Title\n\nbody')).to.equal('Title');
    expect(excerpt('See [the guide](https://example.test) **now**')).to.equal('See the guide now');
    expect(excerpt('word '.repeat(40))).to.match(/…$/);
  });
});
