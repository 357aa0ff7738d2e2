/**
 * `client.attention`: what in a room needs attention (the adjust loop's findings). Imports only
 * `@menteo/api/attention`.
 * @module
 */
import { getRoomAttention } from '@menteo/api/attention';
import type { Transport } from './transport.js';
import type { CallOptions } from './types.js';

/** Builds the attention namespace over a transport. */
export function attentionApi(t: Transport) {
  return {
    /**
     * A room's findings (stalled or blocked milestones, stopped check-ins, falling confidence),
     * each with its reason and the adjustments offered. Fetch again on the room's
     * `roadmap.updated` and `checkin.created` events.
     */
    room: (roomId: string, options?: CallOptions) => t.request(getRoomAttention, { ...options, params: { roomId } }),
  };
}

/** The attention namespace (`client.attention`). */
export type AttentionApi = ReturnType<typeof attentionApi>;
