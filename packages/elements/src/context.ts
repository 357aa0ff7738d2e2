/**
 * The context `<menteo-provider>` supplies to every Menteo element below it.
 *
 * Keyed with `Symbol.for`, so separately bundled copies of this package on one page (a normal
 * situation on an intranet) still find each other. The key carries a version: a copy with an
 * incompatible session shape uses another key instead of receiving a value it misreads.
 * @module
 */
import { createContext } from '@lit/context';
import type { MenteoClient } from '@menteo/client';
import type { Me } from '@menteo/api/auth';

/** Where the provider is in signing in. */
export type SessionStatus = 'idle' | 'connecting' | 'ready' | 'error';

/** What the provider supplies. A new object on every change, so consumers re-render. */
export interface MenteoSession {
  status: SessionStatus;
  /** The client, once configured; elements call the API only through it. */
  client: MenteoClient | undefined;
  /** The signed-in person, their organization, scopes and limits; `null` until known. */
  me: Me | null;
  /** Why signing in failed, when `status` is `error`. */
  error: unknown;
  /** Tries signing in again after an error. */
  retry: () => void;
}

/** The context key of the Menteo session. */
export const sessionContext = createContext<MenteoSession | undefined>(Symbol.for('menteo.session.v1'));
