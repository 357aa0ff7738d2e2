/**
 * Runs in a page with a strict Content-Security-Policy (see the `csp` group of the test runner
 * config): every element renders its richest state and no policy violation may be reported.
 */
import { expect } from '@open-wc/testing';
import '../define/all.js';
import { until } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
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

// The real server app runs in this page too (`@menteo/mock` at https://api.menteo.test, which the
// group's connect-src names, as a customer's policy names their Menteo server). Its sql.js compiles
// WebAssembly, which the policy allows with 'wasm-unsafe-eval' and nothing more: no eval, no
// inline script or style.
const world = useWorld();

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
    const set = await world.newRoom('Room');
    await world.postAs(set.mentor, set.room.id, '**Bold**, `code`, [a link](https://example.com) and <script>alert(1)</script>');
    const roadmap = await world.roadmap(set.mentor, set.room.id, addDays(today, -10), [
      { title: 'First', dueDate: addDays(today, 5) },
      { title: 'Second', dueDate: addDays(today, -2), status: 'blocked' },
    ]);
    await world.as(set.mentor).rooms.messages.create(set.room.id, { body: 'Welcome' });
    const client = world.clientFor(set.mentee);
    const mount = (tag: string, attrs: Record<string, string>) => mountAs(world, set.mentee, tag, attrs, { client });
    const feed = (await mount('menteo-thread-feed', { 'room-id': set.room.id })).el;
    const roadmapEl = (await mount('menteo-roadmap', { 'roadmap-id': roadmap.id })).el;
    const room = (await mount('menteo-room', { 'room-id': set.room.id })).el;
    await mount('menteo-check-in', { 'room-id': set.room.id });
    await mount('menteo-feedback', { 'room-id': set.room.id });
    // The feed's posts are <menteo-post>s inside its <menteo-post-list>.
    const article = () => feed.shadowRoot?.querySelector('menteo-post-list')?.shadowRoot?.querySelector('menteo-post')?.shadowRoot?.querySelector('article');
    await until(() => article() && roadmapEl.shadowRoot?.querySelector('.ms') && room.shadowRoot?.querySelector('h2'), 'everything rendered');
    // Styles arrived (adopted stylesheets are not blocked by style-src).
    expect(getComputedStyle(article()!).borderRadius).not.to.equal('0px');
    // Positions set from script arrived too (a blocked style attribute would leave them unset).
    expect(getComputedStyle(roadmapEl.shadowRoot!.querySelector('.ms')!).getPropertyValue('--pos')).not.to.equal('');
    // Violation reports are delivered as tasks: give them a few frames to arrive.
    for (let i = 0; i < 10; i += 1) await new Promise((r) => requestAnimationFrame(r));
    expect(styleWrites, 'style attributes written from script').to.deep.equal([]);
    expect(violations).to.deep.equal([]);
  });
});
