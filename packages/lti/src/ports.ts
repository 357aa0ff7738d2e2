/**
 * The ports `@menteo/lti` depends on. The server implements {@link MenteoHost} and
 * {@link PeopleDirectory} over its own storage; this package never reads the server's tables.
 * Both work in terms of Menteo organization ids and person ids (`org_…`, `per_…`).
 * @module
 */
import type { Component, Scope } from '@menteo/api';

/** A person's role inside one mentorship room. */
export type RoomRole = 'mentor' | 'mentee' | 'observer';

/** Organization-wide roles a provisioning system may grant (as in `@menteo/api`). */
export type PersonRole = 'member' | 'mentor' | 'admin';

/**
 * What an LMS launch or an identity provider knows about a person. Fields left `undefined` are
 * not known to the caller and must be left unchanged; `null` clears a value.
 */
export interface PersonProfile {
  /**
   * The stable id of the person in the system that provisions them. LTI launches and SCIM agree
   * on it when the LMS and the identity provider share an id (see the registration's
   * `personMatch`), so they reach the same Menteo person.
   */
  externalId: string;
  /** Shown in the widgets. LMS privacy settings may strip it: keep the old one or a placeholder. */
  displayName?: string | undefined;
  /** Work email; may be absent (privacy settings). */
  email?: string | null | undefined;
  title?: string | null | undefined;
  department?: string | null | undefined;
  employeeNumber?: string | null | undefined;
  /** The manager's Menteo person id. */
  managerPersonId?: string | null | undefined;
  /** Organization roles; `undefined` keeps the current ones. */
  roles?: readonly PersonRole[] | undefined;
  /** `false` deactivates (see {@link PeopleDirectory.setPersonActive}). */
  active?: boolean | undefined;
}

/** What an embed session minted for an LMS launch may reach. */
export interface EmbedSessionRequest {
  personId: string;
  /** Scopes granted; the server's defaults when absent. */
  scopes?: readonly Scope[] | undefined;
  /** Limit to these rooms (the course's room). */
  roomIds?: readonly string[] | undefined;
  /** Limit to these widgets. */
  components?: readonly Component[] | undefined;
  /** Lifetime of the client secret, seconds. */
  ttlSeconds?: number | undefined;
}

/**
 * How a launch finds the person it is about. By default the host matches
 * {@link PersonProfile.externalId}; with `email`, it first looks for the one person of the
 * organization with this email (compared case-insensitively), whatever their external id (a
 * person provisioned by SCIM keeps theirs), and creates one with the profile's external id only
 * when nobody has the email. Several people with the email is an {@link AmbiguousPersonError}.
 */
export type PersonLookup = { by: 'externalId' } | { by: 'email'; email: string };

/** Thrown by {@link MenteoHost.upsertPerson} when an email lookup matches more than one person. */
export class AmbiguousPersonError extends Error {
  /** How many people of the organization have the email. */
  readonly matches: number;

  constructor(matches: number) {
    super(`${matches} people of the organization have this email`);
    this.name = 'AmbiguousPersonError';
    this.matches = matches;
  }
}

/** What a membership change found and left. */
export interface MembershipOutcome {
  /** The person's role before the call; null when they were not a member. */
  previous: RoomRole | null;
  /** When the membership present after the call began (ISO 8601); null when there is none. */
  joinedAt: string | null;
}

/** A single-use client secret the browser exchanges for an access token (`POST /v1/tokens`). */
export interface MintedEmbedSession {
  clientSecret: string;
  /** ISO 8601 instant. */
  expiresAt: string;
}

/** Something an instructor can place in a course through Deep Linking. */
export interface Placeable {
  kind: 'room' | 'roadmap' | 'feed';
  id: string;
  title: string;
}

/** Progress of a person on a roadmap, reported to the LMS gradebook (AGS). */
export interface MilestoneCompletion {
  /** Milestones with status `done`. */
  completed: number;
  /** All milestones of the roadmap. */
  total: number;
  /** ISO 8601 instant of the last change, used as the score's timestamp. */
  updatedAt: string;
}

/**
 * What an LTI launch needs from the Menteo server. Implemented by `@menteo/server`; every method
 * is scoped to one organization, which the registration of the launching LMS determines.
 */
export interface MenteoHost {
  /**
   * Finds the person with this external id in the organization, or creates them; updates the
   * fields given. Returns the Menteo person id. Must be idempotent: two launches of the same
   * person at once create one person (unique index on organization + external id).
   * Must not reactivate a person deactivated by SCIM: LTI launches do not override HR.
   */
  upsertPerson(orgId: string, profile: PersonProfile, lookup?: PersonLookup): Promise<{ personId: string; active: boolean }>;
  /**
   * Mints an embed session (as `POST /v1/embed-sessions` does) for a person of the organization.
   * Resolves to `null` when the person is deactivated, so deactivation ends open LMS pages at
   * their next secret refresh.
   */
  mintEmbedSession(orgId: string, request: EmbedSessionRequest): Promise<MintedEmbedSession | null>;
  /**
   * Makes the person a member of the room with this role, or removes them when `role` is null.
   * Idempotent. Unknown rooms are an error (`Error` with a plain message). With
   * `onlyIfJoinedAt`, a removal happens only while the membership is the one that began at that
   * instant (one the LMS created, not re-added since by other means).
   */
  setRoomMembership(orgId: string, roomId: string, personId: string, role: RoomRole | null, options?: { onlyIfJoinedAt?: string }): Promise<MembershipOutcome>;
  /** Milestone completion of the roadmap for the person; null when the roadmap is unknown. */
  getMilestoneCompletion(orgId: string, roadmapId: string, personId: string): Promise<MilestoneCompletion | null>;
  /** Rooms, roadmaps and feeds the person may place in a course (Deep Linking picker). */
  listPlaceables(orgId: string, personId: string): Promise<readonly Placeable[]>;
}

/**
 * What SCIM provisioning needs from the Menteo server. Implemented by `@menteo/server`; SCIM keeps
 * its own copy of the documents the identity provider sent, and projects people onto Menteo
 * persons through this port.
 */
export interface PeopleDirectory {
  /**
   * As {@link MenteoHost.upsertPerson} (match by external id, else create), but SCIM is
   * authoritative: it may set `active`. Used when the identity provider creates a user.
   */
  upsertPerson(orgId: string, profile: PersonProfile): Promise<{ personId: string; active: boolean }>;
  /**
   * Updates a known person, including their external id (identity providers may change it).
   * Fields left `undefined` stay as they are.
   */
  updatePerson(orgId: string, personId: string, profile: PersonProfile): Promise<void>;
  /**
   * Activates or deactivates a person. Deactivation revokes access at once (access tokens,
   * unexchanged embed secrets) and keeps everything the person wrote.
   */
  setPersonActive(orgId: string, personId: string, active: boolean): Promise<void>;
  /** Creates or replaces a group with exactly these members (Menteo person ids). */
  syncGroup(orgId: string, group: { groupId: string; displayName: string; externalId: string | null; memberPersonIds: readonly string[] }): Promise<void>;
  /** Removes a group; its members stay. */
  removeGroup(orgId: string, groupId: string): Promise<void>;
}

/** Receives the admin-facing detail of failures whose user-facing message is kept plain. */
export type LtiLogger = (event: { level: 'info' | 'warn' | 'error'; message: string; detail?: Record<string, unknown> }) => void;
