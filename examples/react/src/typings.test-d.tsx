// Type tests of the generated typings (checked by `tsc`, never bundled): each line below must be
// an error, or tsc fails on the unused @ts-expect-error. Proves the typings are active and strict.
import { MenteoRoom } from '@menteo/elements/react';
import type {} from '@menteo/elements/jsx-react';

export const wrong = [
  // @ts-expect-error roomId is a string
  <MenteoRoom roomId={42} />,
  // @ts-expect-error no such event handler on the room
  <MenteoRoom onMenteoPostCreate={() => undefined} />,
  // @ts-expect-error tab is one of the room's tabs
  <menteo-room tab="inbox" />,
  // @ts-expect-error the event handler receives the element's event class
  <menteo-room onmenteo-message-create={(event: { message: number }) => event} />,
  // @ts-expect-error an unknown Menteo tag is not an element
  <menteo-unknown />,
];
