import { expect } from '@open-wc/testing';
import '../define/provider.js';
import '../define/check-in-history.js';
import type { MenteoCheckInHistory } from './check-in-history.js';
import { $, $$, expectAccessible, until } from '../test-support/index.js';
import { clippedText, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from '../internal/format.js';

// Against the real server app in the page (`@menteo/mock`).
const world = useWorld();

async function mount(roomId: string, as: Parameters<typeof mountAs>[1]) {
  const { el } = await mountAs<MenteoCheckInHistory>(world, as, 'menteo-check-in-history', { 'room-id': roomId });
  await until(() => el.shadowRoot?.querySelector('.state--empty, .list, .state--error'), 'the history');
  return el;
}

describe('<menteo-check-in-history>', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
  });

  it('says when there are no check-ins yet', async () => {
    const set = await world.newRoom();
    const el = await mount(set.room.id, set.mentor);
    expect($(el, '.state--empty').textContent).to.contain('No check-ins yet');
    expect(el.matches(':state(empty)')).to.equal(true);
    await expectAccessible(el);
  });

  it('draws one line per person, with a sentence and a list as its text alternative', async () => {
    const set = await world.newRoom();
    await world.as(set.mentee).checkIns.create(set.room.id, { progress: 'First', confidence: 4 });
    await world.as(set.mentor).checkIns.create(set.room.id, { progress: 'Mentor view', confidence: 3 });
    await world.as(set.mentee).checkIns.create(set.room.id, { progress: 'Second', blockers: 'Access', confidence: 2 });
    const el = await mount(set.room.id, set.mentor);
    expect($$(el, 'polyline').length).to.equal(2);
    // The second person's marks are squares and the line is dashed: not told apart by colour only.
    expect($$(el, 'rect.dot--1').length).to.equal(1);
    const caption = $(el, 'figcaption').textContent ?? '';
    expect(caption).to.contain('Mia Mentee: confidence fell from 4 to 2 of 5 over 2 check-ins.');
    expect(caption).to.contain('Max Mentor: one check-in, confidence 3 of 5.');
    expect($$(el, '[part=entry]').map((e) => e.querySelector('p')?.textContent)).to.deep.equal(['Second', 'Mentor view', 'First']);
    expect($(el, '[part=entry]').textContent).to.contain('Confidence 2 of 5 (A little)');
    // Points are attributes of SVG elements, never inline styles (strict CSP).
    expect((el.shadowRoot?.querySelector('[style]')) == null).to.equal(true);
    await expectAccessible(el);
  });

  it('reflows at 320 px without clipping, and keeps its lines in forced colours', async () => {
    const set = await world.newRoom();
    await world.as(set.mentee).checkIns.create(set.room.id, { progress: 'A rather long progress note that has to wrap on a narrow phone screen', confidence: 3 });
    await viewport(320);
    const el = await mount(set.room.id, set.mentee);
    expect(overflowingPage(el)).to.deep.equal([]);
    expect(clippedText(el)).to.deep.equal([]);
    await forcedColors(true);
    expect(getComputedStyle($(el, 'polyline')).stroke).not.to.equal('none');
    await expectAccessible(el);
  });

  it("shows progress: how many of the author's milestones were done at each check-in", async () => {
    const set = await world.newRoom();
    const today = todayDateOnly();
    await world.roadmap(set.mentor, set.room.id, today, [
      { title: 'Map the service', dueDate: addDays(today, 10), status: 'done' },
      { title: 'Lead an incident review', dueDate: addDays(today, 40) },
    ]);
    await world.as(set.mentee).checkIns.create(set.room.id, { progress: 'Mapped it', confidence: 3 });
    const el = await mount(set.room.id, set.mentor);
    expect($(el, '[part=entry] .progress').textContent).to.equal('1 of 2 milestones done');
    expect($(el, 'figcaption').textContent).to.contain('Milestones done: 1 to 1 of 2.');
    expect($$(el, 'rect.bar').length).to.equal(1);
    await expectAccessible(el);
  });
});
