/**
 * Developer warnings. They are issued exactly when Lit's own dev-mode warnings are: Lit's
 * development build creates `globalThis.litIssuedWarnings`, the production build does not. Keying
 * ours off the same switch means a production bundle stays silent without a second build flag,
 * and a developer sees Menteo and Lit warnings side by side.
 * @module
 */

interface LitDevGlobal {
  litIssuedWarnings?: Set<string | undefined>;
}

/** True when Lit's development build is loaded. */
export function isDevMode(): boolean {
  return (globalThis as LitDevGlobal).litIssuedWarnings !== undefined;
}

/**
 * Warns once per `code` (shared with Lit's set, so separately bundled copies of this package do
 * not repeat each other). Silent in production builds.
 */
export function warnOnce(code: string, message: string): void {
  const issued = (globalThis as LitDevGlobal).litIssuedWarnings;
  if (issued === undefined) return;
  const key = `menteo:${code}`;
  if (issued.has(key)) return;
  issued.add(key);
  console.warn(`[menteo] ${message}`);
}
