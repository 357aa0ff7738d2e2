import { expect } from '@open-wc/testing';
import '../define/provider.js';
import '../define/thread-feed.js';
import '../define/room.js';
import type { MenteoThreadFeed } from '../thread-feed/thread-feed.js';
import type { MenteoProvider } from '../provider/provider.js';
// The feed is made of parts with their own shadow roots: queries go through them.
import { $deep as $, expectAccessible, until, queryDeep } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import type { MenteoRoom } from '../room/room.js';
import { matchLocale } from './localization.js';
import { formatRelative } from './format.js';

// The feed against the real server app in the page (`@menteo/mock`).
const world = useWorld();

describe('localization', () => {
  it('matches requested locales to supported ones', () => {
    expect(matchLocale('fr-CA')).to.equal('fr');
    expect(matchLocale('FR')).to.equal('fr');
    expect(matchLocale('pt-BR')).to.equal('en');
    expect(matchLocale(undefined)).to.equal('en');
  });

  it('formats relative times through Intl in the requested locale', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    expect(formatRelative(new Date('2026-11-25T11:57:00Z'), now, 'en')).to.equal('3 minutes ago');
    expect(formatRelative(new Date('2026-11-24T12:00:00Z'), now, 'fr')).to.equal('hier');
    expect(formatRelative(new Date('2026-11-25T11:59:50Z'), now, 'en')).to.equal('now');
  });

  it('renders every string in French when the provider asks for fr-CA, and back in English', async () => {
    const set = await world.newRoom();
    const post = await world.postAs(set.mentor, set.room.id, 'Bonjour');
    // Written three hours ago: no API call can date a post, so set-up backdates it in the real store.
    await world.mock.db.updateTable('posts').set({ created_at: new Date(Date.now() - 3 * 3600_000).toISOString() }).where('id', '=', post.id).execute();
    document.body.innerHTML = `<menteo-provider locale="fr-CA"><menteo-thread-feed room-id="${set.room.id}"></menteo-thread-feed></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    provider.client = world.clientFor(set.mentee);
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    await until(() => queryDeep(feed, '[role=feed]')?.getAttribute('aria-label') === 'Publications de progression', 'French');
    expect($(feed, 'button[type=submit]').textContent?.trim()).to.equal('Publier');
    expect($(feed, 'article time').textContent).to.equal('il y a 3 heures');
    expect($(feed, 'article').textContent).to.contain('Cet espace uniquement');
    expect($(feed, '.composer select option').textContent).to.equal('Cet espace uniquement');
    await expectAccessible(feed);
    provider.locale = 'en';
    await until(() => queryDeep(feed, '[role=feed]')?.getAttribute('aria-label') === 'Growth posts', 'English again');
  });

  it('renders the room sections added since the first translation in French (check-ins, feedback, learning log)', async () => {
    const set = await world.newRoom();
    const { el } = await mountAs<MenteoRoom>(world, set.mentor, 'menteo-room', { 'room-id': set.room.id }, { providerAttrs: { locale: 'fr' } });
    await until(() => queryDeep(el, '[role=tablist]')?.getAttribute('aria-label') === 'Sections de l’espace', 'French tabs');
    const tabs = [...(el.shadowRoot?.querySelectorAll('[role=tab]') ?? [])].map((t) => t.textContent?.trim());
    expect(tabs).to.include.members(['Notes de séance', 'Feuille de route', 'Points d’étape', 'Retours', 'Journal d’apprentissage']);
    await expectAccessible(el);
  });
});
