/**
 * What every handler of the tool shares: options with defaults filled in, the keyring, the
 * platform key resolver and the log.
 * @module
 */
import type { LtiLogger, MenteoHost } from '../ports.js';
import type { LtiStore } from '../store.js';
import type { PlatformKeyResolver } from './platform-keys.js';
import type { ToolKeyring } from './tool-keys.js';

/** Markup of the widgets for one launch; see {@link LtiToolOptions.renderWidgets}. */
export interface WidgetTarget {
  kind: 'room' | 'roadmap' | 'feed' | 'home';
  id: string | undefined;
  role: 'mentor' | 'mentee' | 'observer';
}

/** Options of `createLtiTool`. */
export interface LtiToolOptions {
  /** Storage of registrations, states, nonces and keys (`createKyselyLtiStore`). */
  store: LtiStore;
  /** The Menteo server's side: people, embed sessions, rooms, milestones. */
  host: MenteoHost;
  /**
   * Public URL where the LTI app is mounted, without trailing slash, e.g.
   * `https://menteo.example.com/lti`. Every URL given to platforms is built from it.
   */
  baseUrl: string;
  /** Public URL of the Menteo API the widgets call, e.g. `https://menteo.example.com`. */
  apiBaseUrl: string;
  /** URL of the widgets' ES module bundle the launch page loads. */
  widgetsScriptUrl: string;
  /** Name shown to LMS admins; `Menteo` by default. */
  toolName?: string;
  /** Receives the admin-facing detail of every failure. */
  logger?: LtiLogger;
  /** The fetch used to reach platforms (tests may inject one). */
  fetch?: typeof fetch;
  /** Clock tolerance for token times, seconds; 60 by default. */
  leewaySeconds?: number;
  /** How long a login may take between initiation and launch, seconds; 600 by default. */
  loginTtlSeconds?: number;
  /** Refetch cooldown of platform key sets on unknown `kid`, ms; 10 s by default. */
  jwksRefetchCooldownMs?: number;
  /** How long a launch page may keep minting embed secrets, seconds; 8 hours by default. */
  sessionTtlSeconds?: number;
  /**
   * Called first on every request to the tool's endpoints (all of them are public: platforms and
   * browsers call them without a Menteo credential). Returns the whole seconds the caller must
   * wait, or 0 to go on; a wait answers 429 with `Retry-After`, as JSON on JSON endpoints and as
   * a plain page elsewhere. `env` is what the tool's `fetch` was given (the server's Node
   * bindings), so the host can tell callers apart, e.g. by client IP.
   */
  rateLimit?: (request: Request, env: unknown) => number;
  /** Overrides the widgets markup of the launch page (must be escaped HTML). */
  renderWidgets?: (target: WidgetTarget) => string;
}

/** Internal: options plus the objects derived from them. */
export interface ToolContext {
  options: LtiToolOptions;
  store: LtiStore;
  host: MenteoHost;
  keyring: ToolKeyring;
  resolveKey: PlatformKeyResolver;
  fetch: typeof fetch;
  log: LtiLogger;
  toolName: string;
  now: () => Date;
}
