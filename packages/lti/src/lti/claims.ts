/**
 * LTI 1.3 claim names and the typed view of a validated launch.
 * @module
 */

/** Prefix shared by the core LTI claims. */
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

/** Claim names used by the tool. */
export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  resourceLink: `${LTI}resource_link`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  custom: `${LTI}custom`,
  lis: `${LTI}lis`,
  launchPresentation: `${LTI}launch_presentation`,
  toolPlatform: `${LTI}tool_platform`,
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  deepLinkingContentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  deepLinkingData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  deepLinkingMessage: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
} as const;

/** OAuth scopes of the LTI Advantage services. */
export const SCOPE = {
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
  agsLineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  agsLineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  agsResult: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  agsScore: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

/** The message types this tool accepts. */
export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;

/** One accepted message type. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** A launch whose signature and claims were validated; only what the tool uses. */
export interface ValidatedLaunch {
  messageType: MessageType;
  registrationId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  /** The platform's user id. */
  sub: string;
  nonce: string;
  name: string | undefined;
  email: string | undefined;
  /** `lis.person_sourcedid`: the SIS id some platforms share with HR systems. */
  sourcedId: string | undefined;
  roles: string[];
  targetLinkUri: string;
  resourceLinkId: string | undefined;
  context: { id: string; title: string | undefined } | undefined;
  custom: Record<string, string>;
  /** Origin of the LMS page framing us, for `frame-ancestors` and postMessage. */
  returnUrl: string | undefined;
  nrps: { membershipsUrl: string } | undefined;
  ags: { lineitemsUrl: string | undefined; lineitemUrl: string | undefined; scopes: string[] } | undefined;
  deepLinking:
    | { returnUrl: string; acceptTypes: string[]; acceptMultiple: boolean; data: string | undefined }
    | undefined;
}

/** Context role names (the part after `#`) that map to Menteo room roles. */
const MENTOR_ROLES = new Set(['Instructor', 'TeachingAssistant', 'Administrator', 'ContentDeveloper']);
const MENTEE_ROLES = new Set(['Learner', 'Student']);

/**
 * Maps LMS roles to a Menteo room role. Only context (course membership) roles count: an
 * institution's instructor who takes a course as a learner is a mentee there. The LIS `Mentor`
 * role is a parent or advisor watching a learner, so it maps to `observer`, not to mentor.
 */
export function roomRoleFor(roles: readonly string[]): 'mentor' | 'mentee' | 'observer' {
  const contextRoles = roles
    .filter((role) => role.includes('/membership') || !role.includes('/'))
    .map((role) => role.slice(role.lastIndexOf('#') + 1));
  if (contextRoles.some((name) => MENTOR_ROLES.has(name))) return 'mentor';
  if (contextRoles.some((name) => MENTEE_ROLES.has(name))) return 'mentee';
  return 'observer';
}
