/**
 * Runs in a page with a strict Content-Security-Policy (see the `csp` group of the test runner
 * config): every element renders its richest state and no policy violation may be reported.
 */
import { expect } from '@open-wc/testing';
import '../define/all.js';
import { cleanupBody, mountInProvider, until } from '../test-support/index.js';
import { FakeClient, fakeId, makeMilestone, makePost, makeRoadmap, person } from '../test-support/fake-client.js';
import { addDays, todayDateOnly } from './format.js';

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));

// Violation reports are not always delivered for writes into shadow trees, so also record the
// writes themselves: any `style` attribute set from script is what a strict style-src blocks.
const styleWrites: string[] = [];
const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
  if (name.toLowerCase() === 'style' && this.isConnected !== undefined && !probing) styleWrites.push(`<${this.localName}> ${value}`);
  return setAttribute.call(this, name, value);
};
let probing = false;

afterEach(cleanupBody);

describe('strict Content-Security-Policy', () => {
  it('is really in force on this page', async () => {
    const before = violations.length;
    const style = document.createElement('div');
    probing = true;
    style.setAttribute('style', 'color: red');
    probing = false;
    document.body.append(style);
    await until(() => violations.length > before, 'the probe violation');
    violations.length = 0;
  });

  it('renders feed, roadmap, room, check-in and feedback without a violation', async () => {
    const today = todayDateOnly();
    const fake = new FakeClient({
      posts: [makePost(person('Grace'), '**Bold**, `code`, [a link](https://example.com) and <script>alert(1)</script>', { roomId: 'room_00000000000000000000000001' })],
      roadmaps: [makeRoadmap(person('Mia'), addDays(today, -10), (id) => [makeMilestone(id, 'First', addDays(today, 5)), makeMilestone(id, 'Second', addDays(today, -2), 'blocked')])],
    });
    const roomId = fakeId('room');
    const t = new Date().toISOString();
    fake.rooms.push({ id: roomId, title: 'Room', purpose: '', status: 'active', roadmapId: null, createdAt: t, updatedAt: t, members: [{ person: fake.viewer, role: 'mentee', joinedAt: t }] });
    const client = fake.asClient();
    const feed = (await mountInProvider(client, 'menteo-thread-feed', {}, document.body, { 'room-id': 'room_00000000000000000000000001' })).el;
    const roadmap = (await mountInProvider(client, 'menteo-roadmap', {}, document.body, { 'roadmap-id': fake.roadmaps[0]!.id })).el;
    const room = (await mountInProvider(client, 'menteo-room', {}, document.body, { 'room-id': roomId })).el;
    await mountInProvider(client, 'menteo-check-in', {}, document.body, { 'room-id': roomId });
    await mountInProvider(client, 'menteo-feedback', {}, document.body, { 'room-id': roomId });
    await until(() => feed.shadowRoot?.querySelector('article') && roadmap.shadowRoot?.querySelector('.ms') && room.shadowRoot?.querySelector('h2'), 'everything rendered');
    // Styles arrived (adopted stylesheets are not blocked by style-src).
    expect(getComputedStyle(feed.shadowRoot!.querySelector('article')!).borderRadius).not.to.equal('0px');
    // Positions set from script arrived too (a blocked style attribute would leave them unset).
    expect(getComputedStyle(roadmap.shadowRoot!.querySelector('.ms')!).getPropertyValue('--pos')).not.to.equal('');
    // Violation reports are delivered as tasks: give them a few frames to arrive.
    for (let i = 0; i < 10; i += 1) await new Promise((r) => requestAnimationFrame(r));
    expect(styleWrites, 'style attributes written from script').to.deep.equal([]);
    expect(violations).to.deep.equal([]);
  });
});
