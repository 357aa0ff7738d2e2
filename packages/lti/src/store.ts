/**
 * Persistence of the LTI tool: registrations, deployments, login states, used nonces, tool keys,
 * cached platform key sets and course contexts. {@link LtiStore} is the port; {@link createKyselyLtiStore}
 * implements it over any Kysely dialect (SQLite by default, PostgreSQL later).
 * @module
 */
import type { Kysely } from 'kysely';
import type { LtiDatabase } from './db/schema.js';

/** A platform registration (see `lti_registrations`). */
export interface Registration {
  id: string;
  orgId: string;
  issuer: string;
  clientId: string;
  authLoginUrl: string;
  authTokenUrl: string;
  authTokenAudience: string | null;
  jwksUrl: string;
  platformName: string | null;
  personMatch: PersonMatch;
}

/** Which launch claim becomes the person's external id. */
export type PersonMatch = 'sub' | 'sourcedid' | 'email';

/** A login between initiation and launch. */
export interface LoginState {
  state: string;
  nonce: string;
  registrationId: string;
  targetLinkUri: string;
  storageTarget: string | null;
  expiresAt: string;
  consumedAt: string | null;
}

/** One of the tool's signing keys. */
export interface ToolKey {
  kid: string;
  status: 'next' | 'active' | 'retired';
  privateJwk: string;
  publicJwk: string;
  createdAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
}

/** A course context seen in a launch. */
export interface LtiContext {
  registrationId: string;
  deploymentId: string;
  contextId: string;
  title: string | null;
  membershipsUrl: string | null;
  lineitemsUrl: string | null;
  lineitemUrl: string | null;
  roomId: string | null;
}

/** The course a room membership came from (see {@link RoomGrant}). */
export interface CourseKey {
  registrationId: string;
  deploymentId: string;
  contextId: string;
}

/** A room membership an LMS course created; roster syncs may end only these. */
export interface RoomGrant extends CourseKey {
  roomId: string;
  personId: string;
  /** When the membership began, as the host reported it. */
  joinedAt: string;
  /** When a launch or a roster last confirmed it (set by the store). */
  seenAt?: string;
}

/** The state of an install link's single use. */
export type InstallUse =
  | { status: 'claimed' }
  | { status: 'in_progress'; claimedAt: string }
  | { status: 'used'; registrationId: string | null; usedAt: string };

/** What a platform's repeated registration may change on an existing registration. */
export type RegistrationEndpoints = Pick<Registration, 'authLoginUrl' | 'authTokenUrl' | 'authTokenAudience' | 'jwksUrl' | 'platformName'>;

/** Storage port of the LTI tool. Every method is atomic on its own. */
export interface LtiStore {
  /** Adds a registration; fails with a plain message when issuer + client id exists. */
  createRegistration(input: Omit<Registration, 'id'> & { id?: string }): Promise<Registration>;
  /**
   * The registration of this issuer and client id. With no client id: the issuer's only one, or,
   * when the issuer has several, the only one that has `deploymentId`; undefined when ambiguous.
   */
  findRegistration(issuer: string, clientId?: string, deploymentId?: string): Promise<Registration | undefined>;
  /** Every registration of an issuer (to explain an ambiguous login in the admin's log). */
  registrationsOfIssuer(issuer: string): Promise<Registration[]>;
  /** Updates the platform endpoints of a registration (a platform registering again). */
  updateRegistrationEndpoints(id: string, endpoints: RegistrationEndpoints): Promise<Registration | undefined>;
  /**
   * Claims the single use of an install link. `claimed` when this call won; otherwise what the
   * earlier use did. Atomic: of two concurrent uses exactly one is `claimed`.
   */
  claimInstallUse(jti: string, orgId: string, expiresAt: string, now: Date): Promise<InstallUse>;
  /** Records the registration an install link produced. */
  completeInstallUse(jti: string, registrationId: string, now: Date): Promise<void>;
  /** Gives an install link back after a failed registration, so the admin can retry it. */
  releaseInstallUse(jti: string): Promise<void>;
  /** Records (or refreshes) that a course created this room membership. */
  recordRoomGrant(grant: RoomGrant): Promise<void>;
  /** Memberships of the room a course created. */
  roomGrantsOf(course: CourseKey, roomId: string): Promise<RoomGrant[]>;
  /** Every course's grant of one membership. */
  grantsOfMember(roomId: string, personId: string): Promise<RoomGrant[]>;
  /** Forgets a course's grant of one membership. */
  deleteRoomGrant(course: CourseKey, roomId: string, personId: string): Promise<void>;
  /** The registration with this id. */
  getRegistration(id: string): Promise<Registration | undefined>;
  /** Registrations of an organization. */
  listRegistrations(orgId: string): Promise<Registration[]>;
  /** Adds a deployment id to a registration (idempotent). */
  addDeployment(registrationId: string, deploymentId: string): Promise<void>;
  /** True when the deployment id belongs to the registration. */
  hasDeployment(registrationId: string, deploymentId: string): Promise<boolean>;
  /** Records a login at initiation. */
  saveLoginState(state: LoginState): Promise<void>;
  /** Marks the state consumed and returns it; undefined when unknown, expired or already used. */
  consumeLoginState(state: string, now: Date): Promise<LoginState | undefined>;
  /** Parks a validated launch until the browser proves it holds the state (platform storage). */
  parkLaunch(state: string, ticket: string, launch: string): Promise<void>;
  /** Takes a parked launch once. */
  takeParkedLaunch(ticket: string, now: Date): Promise<{ state: string; launch: string } | undefined>;
  /** Records a nonce; false when it was already used (a replay). */
  useNonce(issuer: string, nonce: string, expiresAt: Date): Promise<boolean>;
  /** Every tool key, newest first. */
  listToolKeys(): Promise<ToolKey[]>;
  /** Stores a new tool key. */
  insertToolKey(key: ToolKey): Promise<void>;
  /** Changes a tool key's status. */
  setToolKeyStatus(kid: string, status: ToolKey['status'], at: string): Promise<void>;
  /** Deletes a tool key (after its grace period). */
  deleteToolKey(kid: string): Promise<void>;
  /** The cached JWKS of a platform. */
  getPlatformJwks(jwksUrl: string): Promise<{ jwks: string; fetchedAt: string } | undefined>;
  /** Caches the JWKS of a platform. */
  putPlatformJwks(jwksUrl: string, jwks: string, fetchedAt: string): Promise<void>;
  /** Records or updates a course context; keeps the room binding when `roomId` is undefined. */
  upsertContext(context: Omit<LtiContext, 'roomId'> & { roomId?: string | null }): Promise<LtiContext>;
  /** A course context. */
  getContext(registrationId: string, deploymentId: string, contextId: string): Promise<LtiContext | undefined>;
  /** Remembers which Menteo person an LMS user is. */
  linkUser(registrationId: string, sub: string, personId: string): Promise<void>;
  /** The LMS user id (`sub`) of a Menteo person on a registration. */
  findUserSub(registrationId: string, personId: string): Promise<string | undefined>;
  /** Removes expired login states and nonces. */
  purgeExpired(now: Date): Promise<void>;
}

type RegistrationRow = LtiDatabase['lti_registrations'];

function toRegistration(row: RegistrationRow): Registration {
  return {
    id: row.id,
    orgId: row.org_id,
    issuer: row.issuer,
    clientId: row.client_id,
    authLoginUrl: row.auth_login_url,
    authTokenUrl: row.auth_token_url,
    authTokenAudience: row.auth_token_audience,
    jwksUrl: row.jwks_url,
    platformName: row.platform_name,
    personMatch: row.person_match === 'sourcedid' || row.person_match === 'email' ? row.person_match : 'sub',
  };
}

/** A stored course context row as an {@link LtiContext} (for hosts that query `lti_contexts` themselves). */
export function contextFromRow(row: LtiDatabase['lti_contexts']): LtiContext {
  return {
    registrationId: row.registration_id,
    deploymentId: row.deployment_id,
    contextId: row.context_id,
    title: row.title,
    membershipsUrl: row.memberships_url,
    lineitemsUrl: row.lineitems_url,
    lineitemUrl: row.lineitem_url,
    roomId: row.room_id,
  };
}

function grantFromRow(row: LtiDatabase['lti_room_grants']): RoomGrant {
  return {
    registrationId: row.registration_id,
    deploymentId: row.deployment_id,
    contextId: row.context_id,
    roomId: row.room_id,
    personId: row.person_id,
    joinedAt: row.joined_at,
    seenAt: row.seen_at,
  };
}

/** After this long, an install link's unfinished use counts as abandoned. */
const ABANDONED_INSTALL_MS = 5 * 60 * 1000;

/** A random id with a readable prefix. */
export function randomId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;
}

/** Implements {@link LtiStore} over a Kysely database that has run `ltiMigrations`. */
export function createKyselyLtiStore(db: Kysely<LtiDatabase>): LtiStore {
  return {
    async createRegistration(input) {
      const id = input.id ?? randomId('ltireg');
      const existing = await db
        .selectFrom('lti_registrations')
        .select('id')
        .where('issuer', '=', input.issuer)
        .where('client_id', '=', input.clientId)
        .executeTakeFirst();
      if (existing) throw new Error(`A registration for issuer ${input.issuer} and client id ${input.clientId} already exists.`);
      await db
        .insertInto('lti_registrations')
        .values({
          id,
          org_id: input.orgId,
          issuer: input.issuer,
          client_id: input.clientId,
          auth_login_url: input.authLoginUrl,
          auth_token_url: input.authTokenUrl,
          auth_token_audience: input.authTokenAudience,
          jwks_url: input.jwksUrl,
          platform_name: input.platformName,
          person_match: input.personMatch,
          created_at: new Date().toISOString(),
        })
        .execute();
      return { ...input, id };
    },
    async findRegistration(issuer, clientId, deploymentId) {
      let query = db.selectFrom('lti_registrations').selectAll().where('issuer', '=', issuer);
      if (clientId !== undefined) query = query.where('client_id', '=', clientId);
      const rows = await query.limit(2).execute();
      if (rows.length === 1 && rows[0]) return toRegistration(rows[0]);
      if (rows.length === 0 || clientId !== undefined || deploymentId === undefined) return undefined;
      // Without a client id the issuer must be unambiguous (Canvas uses one issuer for everyone);
      // the deployment id the platform sent can still tell which registration it means.
      const byDeployment = await db
        .selectFrom('lti_registrations')
        .innerJoin('lti_deployments', 'lti_deployments.registration_id', 'lti_registrations.id')
        .selectAll('lti_registrations')
        .where('lti_registrations.issuer', '=', issuer)
        .where('lti_deployments.deployment_id', '=', deploymentId)
        .limit(2)
        .execute();
      return byDeployment.length === 1 && byDeployment[0] ? toRegistration(byDeployment[0]) : undefined;
    },
    async registrationsOfIssuer(issuer) {
      const rows = await db.selectFrom('lti_registrations').selectAll().where('issuer', '=', issuer).orderBy('created_at').execute();
      return rows.map(toRegistration);
    },
    async updateRegistrationEndpoints(id, endpoints) {
      await db
        .updateTable('lti_registrations')
        .set({
          auth_login_url: endpoints.authLoginUrl,
          auth_token_url: endpoints.authTokenUrl,
          auth_token_audience: endpoints.authTokenAudience,
          jwks_url: endpoints.jwksUrl,
          platform_name: endpoints.platformName,
        })
        .where('id', '=', id)
        .execute();
      const row = await db.selectFrom('lti_registrations').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRegistration(row) : undefined;
    },
    async claimInstallUse(jti, orgId, expiresAt, now) {
      // RETURNING tells insert from conflict the same way in SQLite and PostgreSQL.
      const inserted = await db
        .insertInto('lti_install_uses')
        .values({ jti, org_id: orgId, registration_id: null, claimed_at: now.toISOString(), completed_at: null, expires_at: expiresAt })
        .onConflict((oc) => oc.column('jti').doNothing())
        .returning('jti')
        .executeTakeFirst();
      if (inserted) return { status: 'claimed' };
      // A claim still in progress after minutes was abandoned (the process stopped mid-way; a
      // registration's own calls time out within a minute): take it over, atomically.
      const abandonedBefore = new Date(now.getTime() - ABANDONED_INSTALL_MS).toISOString();
      const takenOver = await db
        .updateTable('lti_install_uses')
        .set({ claimed_at: now.toISOString() })
        .where('jti', '=', jti)
        .where('completed_at', 'is', null)
        .where('claimed_at', '<', abandonedBefore)
        .executeTakeFirst();
      if (Number(takenOver.numUpdatedRows) === 1) return { status: 'claimed' };
      const row = await db.selectFrom('lti_install_uses').selectAll().where('jti', '=', jti).executeTakeFirst();
      if (!row) return { status: 'in_progress', claimedAt: now.toISOString() };
      if (row.completed_at === null) return { status: 'in_progress', claimedAt: row.claimed_at };
      return { status: 'used', registrationId: row.registration_id, usedAt: row.completed_at };
    },
    async completeInstallUse(jti, registrationId, now) {
      await db.updateTable('lti_install_uses').set({ registration_id: registrationId, completed_at: now.toISOString() }).where('jti', '=', jti).execute();
    },
    async releaseInstallUse(jti) {
      await db.deleteFrom('lti_install_uses').where('jti', '=', jti).where('completed_at', 'is', null).execute();
    },
    async recordRoomGrant(grant) {
      const now = new Date().toISOString();
      await db
        .insertInto('lti_room_grants')
        .values({
          registration_id: grant.registrationId,
          deployment_id: grant.deploymentId,
          context_id: grant.contextId,
          room_id: grant.roomId,
          person_id: grant.personId,
          joined_at: grant.joinedAt,
          seen_at: now,
        })
        .onConflict((oc) => oc.columns(['registration_id', 'deployment_id', 'context_id', 'room_id', 'person_id']).doUpdateSet({ joined_at: grant.joinedAt, seen_at: now }))
        .execute();
    },
    async roomGrantsOf(course, roomId) {
      const rows = await db
        .selectFrom('lti_room_grants')
        .selectAll()
        .where('registration_id', '=', course.registrationId)
        .where('deployment_id', '=', course.deploymentId)
        .where('context_id', '=', course.contextId)
        .where('room_id', '=', roomId)
        .execute();
      return rows.map(grantFromRow);
    },
    async grantsOfMember(roomId, personId) {
      const rows = await db.selectFrom('lti_room_grants').selectAll().where('room_id', '=', roomId).where('person_id', '=', personId).execute();
      return rows.map(grantFromRow);
    },
    async deleteRoomGrant(course, roomId, personId) {
      await db
        .deleteFrom('lti_room_grants')
        .where('registration_id', '=', course.registrationId)
        .where('deployment_id', '=', course.deploymentId)
        .where('context_id', '=', course.contextId)
        .where('room_id', '=', roomId)
        .where('person_id', '=', personId)
        .execute();
    },
    async getRegistration(id) {
      const row = await db.selectFrom('lti_registrations').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRegistration(row) : undefined;
    },
    async listRegistrations(orgId) {
      const rows = await db.selectFrom('lti_registrations').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
      return rows.map(toRegistration);
    },
    async addDeployment(registrationId, deploymentId) {
      await db
        .insertInto('lti_deployments')
        .values({ registration_id: registrationId, deployment_id: deploymentId, created_at: new Date().toISOString() })
        .onConflict((oc) => oc.columns(['registration_id', 'deployment_id']).doNothing())
        .execute();
    },
    async hasDeployment(registrationId, deploymentId) {
      const row = await db
        .selectFrom('lti_deployments')
        .select('deployment_id')
        .where('registration_id', '=', registrationId)
        .where('deployment_id', '=', deploymentId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async saveLoginState(state) {
      await db
        .insertInto('lti_login_states')
        .values({
          state: state.state,
          nonce: state.nonce,
          registration_id: state.registrationId,
          target_link_uri: state.targetLinkUri,
          storage_target: state.storageTarget,
          created_at: new Date().toISOString(),
          expires_at: state.expiresAt,
          consumed_at: null,
          pending_ticket: null,
          pending_launch: null,
        })
        .execute();
    },
    async consumeLoginState(state, now) {
      const at = now.toISOString();
      // One conditional UPDATE makes consumption atomic: two concurrent launches cannot both win.
      const result = await db
        .updateTable('lti_login_states')
        .set({ consumed_at: at })
        .where('state', '=', state)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      const row = await db.selectFrom('lti_login_states').selectAll().where('state', '=', state).executeTakeFirst();
      if (!row) return undefined;
      return {
        state: row.state,
        nonce: row.nonce,
        registrationId: row.registration_id,
        targetLinkUri: row.target_link_uri,
        storageTarget: row.storage_target,
        expiresAt: row.expires_at,
        consumedAt: row.consumed_at,
      };
    },
    async parkLaunch(state, ticket, launch) {
      await db.updateTable('lti_login_states').set({ pending_ticket: ticket, pending_launch: launch }).where('state', '=', state).execute();
    },
    async takeParkedLaunch(ticket, now) {
      const row = await db
        .selectFrom('lti_login_states')
        .select(['state', 'pending_launch', 'expires_at'])
        .where('pending_ticket', '=', ticket)
        .executeTakeFirst();
      if (!row || row.pending_launch === null) return undefined;
      const result = await db
        .updateTable('lti_login_states')
        .set({ pending_ticket: null, pending_launch: null })
        .where('state', '=', row.state)
        .where('pending_ticket', '=', ticket)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1 || row.expires_at <= now.toISOString()) return undefined;
      return { state: row.state, launch: row.pending_launch };
    },
    async useNonce(issuer, nonce, expiresAt) {
      // RETURNING tells insert from conflict the same way in SQLite and PostgreSQL.
      const row = await db
        .insertInto('lti_used_nonces')
        .values({ issuer, nonce, expires_at: expiresAt.toISOString() })
        .onConflict((oc) => oc.columns(['issuer', 'nonce']).doNothing())
        .returning('nonce')
        .executeTakeFirst();
      return row !== undefined;
    },
    async listToolKeys() {
      const rows = await db.selectFrom('lti_tool_keys').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map((row) => ({
        kid: row.kid,
        status: row.status === 'next' || row.status === 'retired' ? row.status : 'active',
        privateJwk: row.private_jwk,
        publicJwk: row.public_jwk,
        createdAt: row.created_at,
        activatedAt: row.activated_at,
        retiredAt: row.retired_at,
      }));
    },
    async insertToolKey(key) {
      await db
        .insertInto('lti_tool_keys')
        .values({
          kid: key.kid,
          status: key.status,
          private_jwk: key.privateJwk,
          public_jwk: key.publicJwk,
          created_at: key.createdAt,
          activated_at: key.activatedAt,
          retired_at: key.retiredAt,
        })
        .execute();
    },
    async setToolKeyStatus(kid, status, at) {
      const patch = status === 'active' ? { status, activated_at: at } : status === 'retired' ? { status, retired_at: at } : { status };
      await db.updateTable('lti_tool_keys').set(patch).where('kid', '=', kid).execute();
    },
    async deleteToolKey(kid) {
      await db.deleteFrom('lti_tool_keys').where('kid', '=', kid).execute();
    },
    async getPlatformJwks(jwksUrl) {
      const row = await db.selectFrom('lti_platform_jwks').selectAll().where('jwks_url', '=', jwksUrl).executeTakeFirst();
      return row ? { jwks: row.jwks_json, fetchedAt: row.fetched_at } : undefined;
    },
    async putPlatformJwks(jwksUrl, jwks, fetchedAt) {
      await db
        .insertInto('lti_platform_jwks')
        .values({ jwks_url: jwksUrl, jwks_json: jwks, fetched_at: fetchedAt })
        .onConflict((oc) => oc.column('jwks_url').doUpdateSet({ jwks_json: jwks, fetched_at: fetchedAt }))
        .execute();
    },
    async upsertContext(context) {
      const now = new Date().toISOString();
      const values = {
        registration_id: context.registrationId,
        deployment_id: context.deploymentId,
        context_id: context.contextId,
        title: context.title,
        memberships_url: context.membershipsUrl,
        lineitems_url: context.lineitemsUrl,
        lineitem_url: context.lineitemUrl,
        room_id: context.roomId ?? null,
        updated_at: now,
      };
      const update = {
        title: context.title,
        memberships_url: context.membershipsUrl,
        lineitems_url: context.lineitemsUrl,
        lineitem_url: context.lineitemUrl,
        updated_at: now,
        ...(context.roomId === undefined ? {} : { room_id: context.roomId }),
      };
      await db
        .insertInto('lti_contexts')
        .values(values)
        .onConflict((oc) => oc.columns(['registration_id', 'deployment_id', 'context_id']).doUpdateSet(update))
        .execute();
      const row = await db
        .selectFrom('lti_contexts')
        .selectAll()
        .where('registration_id', '=', context.registrationId)
        .where('deployment_id', '=', context.deploymentId)
        .where('context_id', '=', context.contextId)
        .executeTakeFirstOrThrow();
      return contextFromRow(row);
    },
    async getContext(registrationId, deploymentId, contextId) {
      const row = await db
        .selectFrom('lti_contexts')
        .selectAll()
        .where('registration_id', '=', registrationId)
        .where('deployment_id', '=', deploymentId)
        .where('context_id', '=', contextId)
        .executeTakeFirst();
      return row ? contextFromRow(row) : undefined;
    },
    async linkUser(registrationId, sub, personId) {
      const now = new Date().toISOString();
      await db
        .insertInto('lti_user_links')
        .values({ registration_id: registrationId, sub, person_id: personId, updated_at: now })
        .onConflict((oc) => oc.columns(['registration_id', 'sub']).doUpdateSet({ person_id: personId, updated_at: now }))
        .execute();
    },
    async findUserSub(registrationId, personId) {
      const row = await db
        .selectFrom('lti_user_links')
        .select('sub')
        .where('registration_id', '=', registrationId)
        .where('person_id', '=', personId)
        .orderBy('updated_at', 'desc')
        .executeTakeFirst();
      return row?.sub;
    },
    async purgeExpired(now) {
      const at = now.toISOString();
      await db.deleteFrom('lti_login_states').where('expires_at', '<=', at).execute();
      await db.deleteFrom('lti_used_nonces').where('expires_at', '<=', at).execute();
      // A used link stays refused until it would have expired anyway; then its row carries nothing.
      await db.deleteFrom('lti_install_uses').where('expires_at', '<=', at).execute();
    },
  };
}
