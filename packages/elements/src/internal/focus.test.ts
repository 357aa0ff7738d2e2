/**
 * The shared focus indicator (internal/tokens.ts, internal/form.styles.ts) in forced-colors mode,
 * where box-shadows are not painted: parts that draw focus on something other than the focused
 * element itself (a rating's visually hidden radio shows focus on its label) must do it with an
 * outline too, and a chosen option must not be told by its background colour alone.
 */
import { expect } from '@open-wc/testing';
import '../define/all.js';
import { $$, until } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { applyTextSpacing, clippedText, focusWalk, forcedColors, overflowingPage, resetViewport, tabStops, viewport } from '../test-support/a11y.js';
import { addDays, todayDateOnly } from './format.js';

const world = useWorld();

describe('shared focus indicator', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
  });

  it('outlines the rating option whose hidden radio has focus, in forced-colors mode', async () => {
    const set = await world.newRoom();
    const { el } = await mountAs<HTMLElement>(world, set.mentee, 'menteo-check-in', { 'room-id': set.room.id });
    await until(() => $$(el, '.rating__option input').length > 0, 'the rating');
    await forcedColors(true);
    // Measured while the Tab walk stands on the radio: focus put there later by focus() did not
    // always match :focus-visible (the walk may end with the page itself unfocused), and a CI run
    // saw no outline.
    let seen: { outline: string; width: string; other: string } | undefined;
    const stops = await tabStops(el, 60, (a) => {
      if (seen !== undefined || !a.matches('.rating__option input')) return;
      const option = a.closest('.rating__option')!;
      const other = $$(el, '.rating__option').find((o) => o !== option)!;
      const s = getComputedStyle(option);
      seen = { outline: s.outlineStyle, width: s.outlineWidth, other: getComputedStyle(other).outlineStyle };
    });
    const radio = stops.find((s) => s.matches('.rating__option input'));
    expect(radio, 'a rating radio is a Tab stop').to.exist;
    expect(seen?.outline, 'outline of the focused option').not.to.equal('none');
    expect(parseFloat(seen?.width ?? '0')).to.be.greaterThanOrEqual(2);
    expect(seen?.other, 'an option without focus').to.equal('none');
    const label = radio!.closest('.rating__option')!;
    const other = $$(el, '.rating__option').find((o) => o !== label)!;
    // The chosen option is told apart without its (dropped) background: a thicker border.
    (radio as HTMLInputElement).click();
    await until(() => (radio as HTMLInputElement).checked, 'chosen');
    expect(parseFloat(getComputedStyle(label).borderTopWidth)).to.be.greaterThan(parseFloat(getComputedStyle(other).borderTopWidth));
  });

  // Every widget in its first state, as the person who uses it sees it: the measurements the
  // roadmap and feed suites make in depth, made once across the others (docs/accessibility.md).
  const widgets: Array<[tag: string, who: 'mentor' | 'mentee']> = [
    ['menteo-check-in', 'mentee'],
    ['menteo-feedback', 'mentee'],
    ['menteo-learning-log', 'mentor'],
    ['menteo-mentor-overview', 'mentor'],
    ['menteo-room', 'mentor'],
    ['menteo-check-in-history', 'mentor'],
    ['menteo-feedback-exchange', 'mentee'],
  ];
  for (const [tag, who] of widgets) {
    it(`<${tag}>: focus visible on every Tab stop in forced colors, no clipped text under text spacing at 320 px`, async () => {
      const today = todayDateOnly();
      const set = await world.newRoom();
      await world.roadmap(set.mentor, set.room.id, addDays(today, -10), [{ title: 'Map the service and its dependencies', dueDate: addDays(today, 5) }]);
      await world.as(set.mentee).checkIns.create(set.room.id, { progress: 'Shadowed an on-call shift', confidence: 4 });
      const attrs = tag === 'menteo-mentor-overview' ? {} : { 'room-id': set.room.id };
      const { el } = await mountAs<HTMLElement>(world, set[who], tag, attrs);
      await until(() => el.shadowRoot?.textContent?.trim() && el.shadowRoot.querySelector('.state--loading') === null, 'loaded');
      await forcedColors(true);
      const { problems } = await focusWalk(el);
      expect(problems, problems.join('\n')).to.deep.equal([]);
      await forcedColors(false);
      applyTextSpacing(el);
      await viewport(320);
      await new Promise((r) => requestAnimationFrame(r));
      expect(clippedText(el), 'clipped under text spacing at 320 px').to.deep.equal([]);
      expect(overflowingPage(el), 'wider than 320 px').to.deep.equal([]);
    });
  }
});
