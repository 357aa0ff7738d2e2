// Type test of the generated Vue typings with plain tsc and full library checking: the
// GlobalComponents entries resolve to components with the elements' props and handlers.
import type {} from '@menteo/elements/vue';
import type { GlobalComponents } from 'vue';

type RoomProps = InstanceType<GlobalComponents['menteo-room']>['$props'];
export const ok: RoomProps = { roomId: 'room_1', tab: 'notes', onMenteoMessageCreate: (event) => event.message.body };
// @ts-expect-error tab is one of the room's tabs
export const bad: RoomProps = { tab: 'inbox' };
