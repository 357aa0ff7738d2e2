/**
 * The tables `@menteo/lti` owns. Every table is prefixed `lti_` so that the server can run
 * {@link ltiMigrations} on its own database without name clashes.
 *
 * Timestamps are stored as ISO strings and booleans as 0/1 integers: both round-trip the same
 * way in SQLite and PostgreSQL through Kysely, so no dialect-specific column types are needed.
 * @module
 */
import type { Generated } from 'kysely';

/** A platform (LMS) registration: one issuer and client id, bound to one Menteo organization. */
export interface LtiRegistrationTable {
  id: string;
  org_id: string;
  issuer: string;
  client_id: string;
  /** The platform's OIDC authorization endpoint (where login initiation redirects). */
  auth_login_url: string;
  /** The platform's OAuth 2 token endpoint for LTI Advantage services. */
  auth_token_url: string;
  /** Audience of our client-assertion JWTs; the token URL when null. */
  auth_token_audience: string | null;
  jwks_url: string;
  platform_name: string | null;
  /** Which launch claim identifies a person: `sub`, `sourcedid` or `email`. */
  person_match: string;
  created_at: string;
}

/** A deployment of a registration (Canvas: one per account or course the tool is installed in). */
export interface LtiDeploymentTable {
  registration_id: string;
  deployment_id: string;
  created_at: string;
}

/** One OIDC login in flight: created at login initiation, consumed by the launch. */
export interface LtiLoginStateTable {
  state: string;
  nonce: string;
  registration_id: string;
  target_link_uri: string;
  /** Set when the platform offered `lti_storage_target` (cookie-less browsers). */
  storage_target: string | null;
  created_at: string;
  expires_at: string;
  /** When the id_token arrived; a state is never accepted twice. */
  consumed_at: string | null;
  /** Launch waiting for the browser to prove it holds the state (platform storage). */
  pending_ticket: string | null;
  pending_launch: string | null;
}

/** Every nonce the tool has accepted, kept until it could no longer be replayed. */
export interface LtiUsedNonceTable {
  issuer: string;
  nonce: string;
  expires_at: string;
}

/** The tool's own signing keys; the JWKS publishes `active` and `next` keys. */
export interface LtiToolKeyTable {
  kid: string;
  /** `next` (published, not yet signing), `active` (signing), `retired` (kept for a grace period). */
  status: string;
  private_jwk: string;
  public_jwk: string;
  created_at: string;
  activated_at: string | null;
  retired_at: string | null;
}

/** Platform JWKS documents, cached so that several server instances share one fetch. */
export interface LtiPlatformJwksTable {
  jwks_url: string;
  jwks_json: string;
  fetched_at: string;
}

/** LMS course contexts seen in launches, with the service endpoints they offered. */
export interface LtiContextTable {
  registration_id: string;
  deployment_id: string;
  context_id: string;
  title: string | null;
  memberships_url: string | null;
  lineitems_url: string | null;
  lineitem_url: string | null;
  /** The Menteo room the course is bound to (by deep linking or custom parameter). */
  room_id: string | null;
  updated_at: string;
}

/** Which Menteo person an LMS user (`sub` of a registration) is, for roster and score services. */
export interface LtiUserLinkTable {
  registration_id: string;
  sub: string;
  person_id: string;
  updated_at: string;
}

/** A SCIM bearer token of one organization, stored as a SHA-256 hash. */
export interface LtiScimTokenTable {
  id: string;
  org_id: string;
  token_hash: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** A SCIM User as the identity provider sent it, bound to a Menteo person. */
export interface LtiScimUserTable {
  id: string;
  org_id: string;
  person_id: string;
  external_id: string | null;
  /** Lower-cased: SCIM `userName` is case-insensitive and unique per organization. */
  user_name: string;
  display_name: string | null;
  active: number;
  /** The full SCIM document, so that attributes Menteo does not model round-trip unchanged. */
  doc: string;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** A SCIM Group of one organization. */
export interface LtiScimGroupTable {
  id: string;
  org_id: string;
  external_id: string | null;
  display_name: string;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** Membership of a SCIM User in a SCIM Group. */
export interface LtiScimMemberTable {
  group_id: string;
  user_id: string;
}

/**
 * A room membership an LMS course created (a launch or a roster sync added the person when they
 * were not a member). Roster syncs remove only these when the person leaves the course roster, so
 * members added by other means (the API, an admin) are never touched. `joined_at` is the
 * membership's start as the host reported it: a membership removed and re-added by other means
 * starts again, no longer matches, and is left alone.
 */
export interface LtiRoomGrantTable {
  registration_id: string;
  deployment_id: string;
  context_id: string;
  room_id: string;
  person_id: string;
  joined_at: string;
  /** When a launch or a roster last confirmed the membership: a sync whose roster read began earlier leaves it alone. */
  seen_at: string;
}

/**
 * Uses of dynamic-registration install links (single-use): claimed when the platform opens the
 * link, completed with the registration it produced, released when the registration failed.
 */
export interface LtiInstallUseTable {
  /** The install token's `jti`. */
  jti: string;
  org_id: string;
  /** Null while the registration is in progress. */
  registration_id: string | null;
  claimed_at: string;
  completed_at: string | null;
  /** When the link itself expires; the row can be purged after. */
  expires_at: string;
}

/** The database shape `@menteo/lti` reads and writes; merge it into the server's own. */
export interface LtiDatabase {
  lti_registrations: LtiRegistrationTable;
  lti_deployments: LtiDeploymentTable;
  lti_login_states: LtiLoginStateTable;
  lti_used_nonces: LtiUsedNonceTable;
  lti_tool_keys: LtiToolKeyTable;
  lti_platform_jwks: LtiPlatformJwksTable;
  lti_contexts: LtiContextTable;
  lti_user_links: LtiUserLinkTable;
  lti_scim_tokens: LtiScimTokenTable;
  lti_scim_users: LtiScimUserTable;
  lti_scim_groups: LtiScimGroupTable;
  lti_scim_members: LtiScimMemberTable;
  lti_room_grants: LtiRoomGrantTable;
  lti_install_uses: LtiInstallUseTable;
}
