// Menteo's widgets in a React 19 app, two ways: the generated React components
// (`@menteo/elements/react`, made with @lit/react), and the elements as JSX tags typed by
// `@menteo/elements/jsx-react`. Both type-check with tsc: a wrong prop or handler is an error.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { MenteoProvider, MenteoRoom, MenteoThreadFeed } from '@menteo/elements/react';
import type {} from '@menteo/elements/jsx-react';
import '@menteo/elements/define/roadmap';
import type { MenteoMessageCreateEvent } from '@menteo/elements/events';

/** Asks this app's own backend for a Menteo client secret (it holds the API key, the browser never does). */
async function clientSecret(): Promise<string> {
  const response = await fetch('/api/menteo/client-secret', { method: 'POST', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`No Menteo session (${response.status})`);
  const body = (await response.json()) as { clientSecret: string };
  return body.clientSecret;
}

function App({ menteoUrl, roomId, roadmapId }: { menteoUrl: string; roomId: string; roadmapId: string }) {
  const [said, setSaid] = useState<string[]>([]);
  const onMessage = (event: MenteoMessageCreateEvent) => setSaid((list) => [...list, event.message.body]);
  return (
    <MenteoProvider baseUrl={menteoUrl} clientSecret={clientSecret}>
      <main className="columns">
        {/* A wrapper: properties set as properties, events as typed onMenteo… props. */}
        <MenteoRoom roomId={roomId} hideRoadmap onMenteoMessageCreate={onMessage} />
        {/* A plain tag: React 19 sets known properties and listens to on<event-name>. */}
        <menteo-roadmap roadmap-id={roadmapId} onmenteo-error={(event) => console.warn(event.operation, event.error)} />
        <MenteoThreadFeed roomId={roomId} label="Posts in this room" />
      </main>
      <h2>Events</h2>
      <ul id="events" aria-live="polite">
        {said.map((text, i) => (
          <li key={i}>You said: {text}</li>
        ))}
      </ul>
    </MenteoProvider>
  );
}

const root = document.getElementById('root');
if (root) {
  const { menteoUrl = '', roomId = '', roadmapId = '' } = root.dataset;
  createRoot(root).render(
    <StrictMode>
      <App menteoUrl={menteoUrl} roomId={roomId} roadmapId={roadmapId} />
    </StrictMode>,
  );
}
