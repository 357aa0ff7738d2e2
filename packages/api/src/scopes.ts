/**
 * Scopes and embeddable components. Plain constants (no schemas) so that any bundle can import
 * them for free.
 * @module
 */

/**
 * What a credential may do. Read scopes grant reading what the caller can otherwise see; write
 * scopes grant the named action. Room membership, role and post audience still apply on top.
 */
export const SCOPES = [
  'rooms:read',
  'rooms:write',
  'messages:write',
  'notes:write',
  'resources:write',
  'roadmaps:read',
  'roadmaps:write',
  'threads:read',
  'posts:write',
  'comments:write',
  'reactions:write',
  'checkins:write',
  'feedback:write',
  'learnings:write',
  'people:read',
  'people:write',
  'matching:write',
  'org:admin',
] as const;

/** One scope. */
export type Scope = (typeof SCOPES)[number];

/** Scopes only administrators and host backends hold: never given to a widget by default. */
const ADMIN_SCOPES: readonly Scope[] = ['rooms:write', 'people:write', 'org:admin'];

/** The scopes an embed session gets when the host names none: everything a member does. */
export const DEFAULT_EMBED_SCOPES: readonly Scope[] = SCOPES.filter((s) => !ADMIN_SCOPES.includes(s));

/** The widgets a host can embed; an embed session may be limited to some of them. */
export const COMPONENTS = ['room', 'roadmap', 'feed', 'check-in', 'feedback'] as const;

/** One embeddable component. */
export type Component = (typeof COMPONENTS)[number];

/** True when `value` is a known scope. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
