import { expect } from '@open-wc/testing';
import '../define/provider.js';
import '../define/mentor-overview.js';
import type { MenteoMentorOverview } from './mentor-overview.js';
import { $, $$, expectAccessible, until } from '../test-support/index.js';
import { clippedText, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from '../internal/format.js';

// Against the real server app in the page (`@menteo/mock`): the attention rules are the server's.
const world = useWorld();

async function mount(as: Parameters<typeof mountAs>[1], attrs: Record<string, string> = {}) {
  const { el } = await mountAs<MenteoMentorOverview>(world, as, 'menteo-mentor-overview', attrs);
  await until(() => el.shadowRoot?.querySelector('.rooms, .state--empty, .state--error'), 'the overview');
  return el;
}

describe('<menteo-mentor-overview>', () => {
  afterEach(() => resetViewport());

  it('says so when the reader mentors no one', async () => {
    const set = await world.newRoom();
    const el = await mount(set.mentee);
    expect($(el, '.state--empty').textContent).to.contain('You do not mentor anyone yet');
    await expectAccessible(el);
  });

  it("shows each of a mentor's rooms: what needs attention and why, unanswered questions, overdue items, the last check-in", async () => {
    const set = await world.newRoom('Platform path');
    const other = await world.person('Omar Otherroom');
    const calm = await world.admin.rooms.create({ title: 'Design path', members: [{ personId: set.mentor.id, role: 'mentor' }, { personId: other.id, role: 'mentee' }] });
    await world.postAs(set.mentee, set.room.id, 'How do I pick an SLO target?');
    await world.as(set.mentor).rooms.notes.create(set.room.id, {
      sessionDate: addDays(todayDateOnly(), -10),
      summary: 'Kick-off',
      actionItems: [{ text: 'Write the alert runbook', ownerId: set.mentee.id, dueDate: addDays(todayDateOnly(), -3) }],
    });
    await world.as(set.mentee).checkIns.create(set.room.id, { progress: 'Diagram done', confidence: 4 });
    await world.as(other).checkIns.create(calm.id, { progress: 'Fine', confidence: 4 });
    const el = await mount(set.mentor, { 'room-href': '/rooms/{roomId}' });
    const cards = $$(el, '[part=room]');
    expect(cards.map((c) => c.querySelector('h3')?.textContent?.trim())).to.deep.equal(['Platform path', 'Design path']);
    const first = cards[0]!.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(first).to.contain('Needs attention');
    expect(first).to.contain('Unanswered posts: 1, of which 1 questions');
    expect(first).to.contain('How do I pick an SLO target?');
    expect(first).to.contain('Overdue action items: 1');
    expect(first).to.contain('Write the alert runbook');
    expect(first).to.contain('Last check-in: Mia Mentee, confidence 4 of 5');
    expect(cards[0]!.querySelector('a')?.getAttribute('href')).to.equal(`/rooms/${set.room.id}`);
    expect(cards[1]!.textContent).to.contain('Nothing needs attention');
    await expectAccessible(el);
    await viewport(320);
    expect(overflowingPage(el)).to.deep.equal([]);
    expect(clippedText(el)).to.deep.equal([]);
  });
});
