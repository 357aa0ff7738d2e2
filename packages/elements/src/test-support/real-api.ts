/**
 * The real Menteo API inside the test page: `@menteo/mock/browser` runs the server app behind
 * msw's service worker over an in-memory SQLite (sql.js). Set-up data is created through the
 * API itself with the organization's secret key, as a host backend would.
 * @module
 */
import { startBrowserMock, type BrowserMock } from '@menteo/mock/browser';
import { createClient, type MenteoClient } from '@menteo/client';
import type { Person } from '@menteo/api/people';
import type { Room } from '@menteo/api/rooms';

async function loadScript(src: string): Promise<void> {
  if ((globalThis as { initSqlJs?: unknown }).initSqlJs) return;
  await new Promise<void>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

/** A mock with an organization, two people sharing a room, and a host-backend client. */
export interface World {
  mock: BrowserMock;
  /** The host backend's client (secret API key): never handed to a widget. */
  admin: MenteoClient;
  mentor: Person;
  mentee: Person;
  room: Room;
  /** What a host backend's endpoint does: mint a single-use client secret for `person`. */
  clientSecretFor(person: Person): () => Promise<string>;
}

export async function startWorld(): Promise<World> {
  await loadScript('/__sql.js');
  const mock = await startBrowserMock();
  const admin = createClient({ baseUrl: mock.baseUrl, apiKey: mock.organization.apiKey, retry: 0 });
  const mentor = await admin.people.create({ displayName: 'Max Mentor', roles: ['mentor'] });
  const mentee = await admin.people.create({ displayName: 'Mia Mentee' });
  const room = await admin.rooms.create({
    title: 'Frontend craft',
    purpose: 'Grow into a confident reviewer',
    members: [
      { personId: mentor.id, role: 'mentor' },
      { personId: mentee.id, role: 'mentee' },
    ],
  });
  return {
    mock,
    admin,
    mentor,
    mentee,
    room,
    clientSecretFor: (person) => async () => (await admin.embedSessions.create({ personId: person.id })).clientSecret,
  };
}
