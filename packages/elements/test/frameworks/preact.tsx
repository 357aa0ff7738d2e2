// Type test of the generated Preact typings (tsc only, never run): the tags type-check with
// their properties, attributes and `on<event-name>` handlers, and each wrong use is an error.
import type {} from '@menteo/elements/jsx-preact';
import type { MenteoPostCreateEvent } from '@menteo/elements/events';

const onPost = (event: MenteoPostCreateEvent): string => event.post.id;

export const right = (
  <menteo-provider base-url="https://menteo.example" theme="dark">
    <menteo-thread-feed room-id="room_1" pageSize={20} no-composer onmenteo-post-create={onPost} class="feed" />
  </menteo-provider>
);

export const wrong = [
  // @ts-expect-error roomId is a string
  <menteo-room roomId={42} />,
  // @ts-expect-error the handler receives the element's event class
  <menteo-room onmenteo-message-create={(event: { message: number }) => event} />,
  // @ts-expect-error an unknown Menteo tag is not an element
  <menteo-unknown />,
];
