/**
 * Which store a server or a command works on, decided in one place from the environment:
 * `MENTEO_DATABASE_URL=postgres://…` selects PostgreSQL; otherwise SQLite, at `MENTEO_DB` (or a
 * command's `--db`), else `.menteo/menteo.db`. No driver is imported here (see `openStore` in
 * `../node.ts`), so this module stays safe for browsers.
 * @module
 */

/** The SQLite file used when nothing else is configured, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = '.menteo/menteo.db';

/** A configured store. */
export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** The variables read. */
export type StoreEnv = Readonly<Record<string, string | undefined>>;

/**
 * The store the environment names. A `--db <path>` option (the CLI's) names an SQLite file and
 * wins over `MENTEO_DB`; with `MENTEO_DATABASE_URL` set as well it is an error, never a guess
 * about which one the operator meant.
 */
export function storeFromEnv(env: StoreEnv, sqlitePathOption?: string): StoreConfig {
  const url = env.MENTEO_DATABASE_URL;
  if (url !== undefined && url !== '') {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('MENTEO_DATABASE_URL must be a postgres:// (or postgresql://) URL');
    if (sqlitePathOption !== undefined) throw new Error('--db names an SQLite file, but MENTEO_DATABASE_URL selects PostgreSQL: use one of them');
    return { kind: 'postgres', url };
  }
  return { kind: 'sqlite', path: sqlitePathOption ?? (env.MENTEO_DB || DEFAULT_SQLITE_PATH) };
}

/** How a store is named in logs and messages: never with the URL's password. */
export function describeStore(store: StoreConfig): string {
  if (store.kind === 'sqlite') return `SQLite: ${store.path}`;
  try {
    const url = new URL(store.url);
    return `PostgreSQL: ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
