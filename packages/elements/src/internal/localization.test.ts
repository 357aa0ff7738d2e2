import { expect } from '@open-wc/testing';
import '../define/provider.js';
import '../define/thread-feed.js';
import type { MenteoThreadFeed } from '../thread-feed/thread-feed.js';
import type { MenteoProvider } from '../provider/provider.js';
import { $, cleanupBody, expectAccessible, until } from '../test-support/index.js';
import { FakeClient, makePost, person } from '../test-support/fake-client.js';
import { matchLocale } from './localization.js';
import { formatRelative } from './format.js';

const ROOM = 'room_00000000000000000000000001';

afterEach(cleanupBody);

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
    document.body.innerHTML = `<menteo-provider locale="fr-CA"><menteo-thread-feed room-id="${ROOM}"></menteo-thread-feed></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    provider.client = new FakeClient({ posts: [makePost(person('Grace'), 'Bonjour', { roomId: ROOM, createdAt: new Date(Date.now() - 3 * 3600_000).toISOString() })] }).asClient();
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    await until(() => feed.shadowRoot?.querySelector('[role=feed]')?.getAttribute('aria-label') === 'Publications de progression', 'French');
    expect($(feed, 'button[type=submit]').textContent?.trim()).to.equal('Publier');
    expect($(feed, 'article time').textContent).to.equal('il y a 3 heures');
    expect($(feed, '.composer select option').textContent).to.equal('Cet espace uniquement');
    await expectAccessible(feed);
    provider.locale = 'en';
    await until(() => feed.shadowRoot?.querySelector('[role=feed]')?.getAttribute('aria-label') === 'Growth posts', 'English again');
  });
});
