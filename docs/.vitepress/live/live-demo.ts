/**
 * The docs site's live example: the real Menteo server app runs in this page (`@menteo/mock`:
 * msw's service worker over SQLite compiled to WebAssembly), seeded through the API with the
 * organization's secret key as a host backend would, and the widgets sign in with an embed
 * session exactly as on an intranet. Nothing leaves the browser; a reload starts over.
 *
 * Bundled by scripts/docs-live.mjs into the site's /live/ folder.
 */
import { startBrowserMock } from '@menteo/mock/browser';
import { createClient } from '@menteo/client';
import '@menteo/elements/define/provider';
import '@menteo/elements/define/roadmap';
import '@menteo/elements/define/thread-feed';
import type { MenteoProvider } from '@menteo/elements/provider';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const mock = await startBrowserMock();
  const admin = createClient({ baseUrl: mock.baseUrl, apiKey: mock.organization.apiKey });
  const priya = await admin.people.create({ displayName: 'Priya Natarajan', roles: ['mentor'] });
  const sam = await admin.people.create({ displayName: 'Sam Whitfield' });
  const room = await admin.rooms.create({
    title: 'Priya × Sam',
    purpose: 'Sam owns the notifications service within 90 days.',
    members: [{ personId: priya.id, role: 'mentor' }, { personId: sam.id, role: 'mentee' }],
  });
  const asPriya = createClient({ baseUrl: mock.baseUrl, apiKey: mock.organization.apiKey, actAs: priya.id });
  const asSam = createClient({ baseUrl: mock.baseUrl, apiKey: mock.organization.apiKey, actAs: sam.id });
  const roadmap = await asPriya.roadmaps.create({
    roomId: room.id,
    title: 'Own the notifications service',
    goal: 'By day 90, Sam designs changes, runs on-call and leads incident reviews.',
    startDate: day(-30),
    milestones: [
      { title: 'Map the service and its dependencies', dueDate: day(-15), status: 'done' },
      { title: 'Shadow, then lead, an on-call week', dueDate: day(10), status: 'in_progress' },
      { title: 'Lead an incident review', dueDate: day(45) },
    ],
  });
  const thread = await asSam.threads.create({ title: 'Learning in public', roomId: room.id });
  await asSam.threads.posts.create(thread.id, {
    body: 'Drew the notification pipeline end to end today: three queues, two retries, one surprise.',
    audience: 'room',
  });

  const provider = document.querySelector<MenteoProvider>('menteo-provider');
  if (!provider) throw new Error('no <menteo-provider> on the page');
  provider.baseUrl = mock.baseUrl;
  // What your backend's endpoint does: mint a single-use client secret for the signed-in person.
  provider.clientSecret = async () => (await admin.embedSessions.create({ personId: sam.id })).clientSecret;
  document.querySelector('menteo-roadmap')?.setAttribute('roadmap-id', roadmap.id);
  document.querySelector('menteo-thread-feed')?.setAttribute('room-id', room.id);
  const status = document.getElementById('status');
  if (status) status.textContent = 'Live: these widgets talk to a Menteo server running in this page. Post something, or move a milestone.';
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  const status = document.getElementById('status');
  if (status) status.textContent = `The live example could not start: ${error instanceof Error ? error.message : String(error)}`;
  throw error;
});
