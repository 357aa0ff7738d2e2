/**
 * Scripting against Menteo with a secret API key: list rooms, walk every post of a growth
 * thread with `for await`, and post to it.
 *
 *   MENTEO_URL=http://localhost:8787 MENTEO_API_KEY=mk_… npx tsx index.ts
 *
 * With `npm run demo` running, the demo's key is in `.menteo/demo.json`; without variables, the
 * script reads it from there.
 */
import { readFileSync } from 'node:fs';
import { createClient, isMenteoError, type MenteoClient } from '@menteo/client';

/** What the script did, for its test. */
export interface ScriptResult {
  rooms: string[];
  threadId: string;
  postsWalked: number;
  createdPostId: string;
}

/** Runs the example with an already configured client. */
export async function run(menteo: MenteoClient, log: (line: string) => void = console.log): Promise<ScriptResult> {
  // 1. Rooms: `for await` walks every page; `await menteo.rooms.list()` would give one page.
  const rooms: string[] = [];
  for await (const room of menteo.rooms.list({ status: 'active' })) {
    const mentors = room.members.filter((m) => m.role === 'mentor').map((m) => m.person.displayName);
    log(`room  ${room.title}  (mentor: ${mentors.join(', ') || 'none'}, ${room.members.length} members)`);
    rooms.push(room.id);
  }

  // 2. The busiest of the recent growth threads, and every one of its posts, page after page
  //    (two per page here, to show the iterator fetching the next page when it needs it).
  const { items: recent } = await menteo.threads.list({ limit: 20 });
  const thread = recent.sort((a, b) => b.postCount - a.postCount)[0];
  if (!thread) throw new Error('No growth thread yet: seed the server first (npm run demo).');
  log(`\nthread  "${thread.title}" by ${thread.author.displayName}`);
  let postsWalked = 0;
  for await (const post of menteo.threads.posts.list(thread.id, { limit: 2 })) {
    postsWalked++;
    log(`  ${post.createdAt.slice(0, 10)}  [${post.audience}]  ${post.body.slice(0, 70)}${post.body.length > 70 ? '…' : ''}`);
  }

  // 3. A post by the thread's author. With an API key, writes name their author (Menteo-Act-As).
  try {
    const post = await menteo.threads.posts.create(
      thread.id,
      { body: `Posted from the Node example at ${new Date().toISOString()}.`, audience: 'room' },
      { actAs: thread.author.id },
    );
    log(`created post ${post.id}`);
    return { rooms, threadId: thread.id, postsWalked, createdPostId: post.id };
  } catch (error) {
    if (isMenteoError(error)) log(`could not post: ${error.code} ${error.message}`);
    throw error;
  }
}

function demoKey(): string | undefined {
  try {
    return (JSON.parse(readFileSync(new URL('../../.menteo/demo.json', import.meta.url), 'utf8')) as { apiKey: string }).apiKey;
  } catch {
    return undefined;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const apiKey = process.env.MENTEO_API_KEY ?? demoKey();
  if (!apiKey) {
    console.error('Set MENTEO_API_KEY (or run `npm run demo` first).');
    process.exit(1);
  }
  const menteo = createClient({ baseUrl: process.env.MENTEO_URL ?? 'http://localhost:8787', apiKey });
  await run(menteo);
}
