/**
 * Why an embed page could not open. Each code is stable (hosts and tests match on it) and comes
 * with the HTTP status of the page and a sentence for the person in front of the frame; the
 * detail for the host's developer goes in the page too, since it names nothing secret.
 * @module
 */

/** Every reason, with its status and the person's sentence. */
export const EMBED_ERRORS = {
  embed_component_unknown: { status: 404, message: 'This Menteo widget does not exist.' },
  embed_token_missing: { status: 400, message: 'This Menteo link is incomplete. Open it again from the page that showed it.' },
  embed_token_malformed: { status: 400, message: 'This Menteo link is damaged. Open it again from the page that showed it.' },
  embed_algorithm_refused: { status: 401, message: 'This Menteo link was not signed correctly.' },
  embed_key_unknown: { status: 401, message: 'This Menteo link was signed with a key Menteo does not know.' },
  embed_key_revoked: { status: 401, message: 'This Menteo link was signed with a revoked key.' },
  embed_key_retired: { status: 401, message: 'This Menteo link was signed with a key that has been replaced.' },
  embed_signature_invalid: { status: 401, message: 'This Menteo link was not signed correctly.' },
  embed_audience_invalid: { status: 401, message: 'This link is not a Menteo embed link.' },
  embed_token_invalid: { status: 401, message: 'This Menteo link is not valid.' },
  embed_token_expired: { status: 401, message: 'This Menteo link has expired. Reload the page that showed it.' },
  embed_token_not_yet_valid: { status: 401, message: 'This Menteo link is not valid yet. Check the clock of the server that signed it.' },
  embed_token_too_long: { status: 401, message: 'This Menteo link lives longer than five minutes, which Menteo refuses.' },
  embed_token_replayed: { status: 401, message: 'This Menteo link was already used. Reload the page that showed it.' },
  embed_component_mismatch: { status: 400, message: 'This Menteo link was signed for another widget.' },
  embed_claims_invalid: { status: 400, message: 'This Menteo link asks for something Menteo cannot grant.' },
  embed_person_unknown: { status: 403, message: 'Your account is not set up in Menteo yet. Ask your administrator.' },
  embed_person_deactivated: { status: 403, message: 'Your Menteo account is deactivated.' },
  embed_room_required: { status: 400, message: 'This Menteo link does not say which room to show.' },
  embed_room_not_allowed: { status: 403, message: 'You do not have access to this mentorship room.' },
  embed_session_ended: { status: 401, message: 'Your Menteo session has ended. Reload the page.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable reason code. */
export type EmbedErrorCode = keyof typeof EMBED_ERRORS;

/** A refusal: rendered as an error page (never a 500). `detail` is for the host's developer. */
export class EmbedError extends Error {
  readonly code: EmbedErrorCode;
  readonly status: number;
  readonly detail: string;
  constructor(code: EmbedErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = 'EmbedError';
    this.code = code;
    this.status = EMBED_ERRORS[code].status;
    this.detail = detail;
  }
}
