/**
 * The shared focus indicator (internal/tokens.ts, internal/form.styles.ts) in forced-colors mode,
 * where box-shadows are not painted: parts that draw focus on something other than the focused
 * element itself (a rating's visually hidden radio shows focus on its label) must do it with an
 * outline too, and a chosen option must not be told by its background colour alone.
 */
import { expect } from '@open-wc/testing';
import '../define/provider.js';
import '../define/check-in.js';
import { $$, until } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { forcedColors, tabStops } from '../test-support/a11y.js';

const world = useWorld();

describe('shared focus indicator', () => {
  afterEach(async () => {
    await forcedColors(false);
  });

  it('outlines the rating option whose hidden radio has focus, in forced-colors mode', async () => {
    const set = await world.newRoom();
    const { el } = await mountAs<HTMLElement>(world, set.mentee, 'menteo-check-in', { 'room-id': set.room.id });
    await until(() => $$(el, '.rating__option input').length > 0, 'the rating');
    await forcedColors(true);
    const stops = await tabStops(el);
    const radio = stops.find((s) => s.matches('.rating__option input'));
    expect(radio, 'a rating radio is a Tab stop').to.exist;
    radio!.focus();
    const label = radio!.closest('.rating__option')!;
    const s = getComputedStyle(label);
    expect(s.outlineStyle, 'outline of the focused option').not.to.equal('none');
    expect(parseFloat(s.outlineWidth)).to.be.greaterThanOrEqual(2);
    const other = $$(el, '.rating__option').find((o) => o !== label)!;
    expect(getComputedStyle(other).outlineStyle, 'an option without focus').to.equal('none');
    // The chosen option is told apart without its (dropped) background: a thicker border.
    (radio as HTMLInputElement).click();
    await until(() => (radio as HTMLInputElement).checked, 'chosen');
    expect(parseFloat(getComputedStyle(label).borderTopWidth)).to.be.greaterThan(parseFloat(getComputedStyle(other).borderTopWidth));
  });
});
