/**
 * `keys` and `origins`: an organization's API keys and the origins allowed to embed its widgets.
 * @module
 */
import type { Command } from 'commander';
import { insertApiKey, setAllowedOrigins } from '../auth/bootstrap.js';
import { revokeKeyCredentials } from '../auth/revocation.js';
import { isId } from '../storage/ids.js';
import { strings } from '../storage/json.js';
import { databaseOf, resolveOrganization, withDatabase } from './database.js';
import { failure, usageError } from './errors.js';
import { parseName, parseOrigin, parseScopes } from './input.js';
import { table, type CliIo } from './io.js';

interface DbOptions { db?: string; org?: string; json?: boolean }

const DB_OPTION = ['--db <path>', 'SQLite file (default: $MENTEO_DB or .menteo/menteo.db; MENTEO_DATABASE_URL selects PostgreSQL instead)'] as const;
const ORG_OPTION = ['--org <id or name>', 'the organization (needed when the database has several)'] as const;

/** Adds `keys create|list|revoke` and `origins list|add|remove`. */
export function addAccessCommands(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('The organization\'s secret API keys (for host backends).');
  keys.command('create')
    .description('Create an API key; its secret is printed once.')
    .requiredOption('--name <name>', 'what the key is for, e.g. "intranet backend"')
    .option('--scope <scope...>', 'scopes (repeat or comma-separate); every scope by default')
    .option(...ORG_OPTION).option(...DB_OPTION)
    .option('--json', 'print the result as JSON')
    .action(async (opts: DbOptions & { name: string; scope?: string[] }) => {
      const name = parseName(opts.name, '--name');
      const scopes = parseScopes(opts.scope);
      const { key, secret, org } = await withDatabase(databaseOf(opts.db, io), async (db) => {
        const org = await resolveOrganization(db, opts.org);
        return { org, ...(await insertApiKey(db, org.id, name, scopes, new Date().toISOString())) };
      });
      if (opts.json) io.out(JSON.stringify({ organizationId: org.id, ...key, secret }, null, 2));
      else io.out(`api key  ${key.id}  ${key.name}  (${org.name})\nscopes   ${key.scopes.join(' ')}\nsecret   ${secret}`);
      io.err('The secret is shown this once and stored only as a hash: keep it in your secret store now.');
    });
  keys.command('list')
    .description('List the API keys (never their secrets).')
    .option('--all', 'include revoked keys')
    .option(...ORG_OPTION).option(...DB_OPTION)
    .option('--json', 'print the result as JSON')
    .action(async (opts: DbOptions & { all?: boolean }) => {
      const rows = await withDatabase(databaseOf(opts.db, io), async (db) => {
        const org = await resolveOrganization(db, opts.org);
        let q = db.selectFrom('api_keys').selectAll().where('org_id', '=', org.id);
        if (!opts.all) q = q.where('revoked_at', 'is', null);
        return (await q.orderBy('created_at').execute()).map((k) => ({
          id: k.id, name: k.name, prefix: k.prefix, scopes: strings(k.scopes), createdAt: k.created_at, lastUsedAt: k.last_used_at, revokedAt: k.revoked_at,
        }));
      });
      if (opts.json) io.out(JSON.stringify(rows, null, 2));
      else io.out(table(['ID', 'NAME', 'PREFIX', 'SCOPES', 'CREATED', 'LAST USED', 'REVOKED'], rows.map((k) => [
        k.id, k.name, `${k.prefix}…`, String(k.scopes.length), k.createdAt, k.lastUsedAt ?? '-', k.revokedAt ?? '-',
      ])));
    });
  keys.command('revoke')
    .description('Revoke an API key: requests with it are refused from now on.')
    .argument('<keyId>', 'the key\'s id (key_…), from keys list')
    .option(...ORG_OPTION).option(...DB_OPTION)
    .action(async (keyId: string, opts: DbOptions) => {
      if (!isId(keyId, 'key')) throw usageError(`"${keyId}" is not a key id (key_ and 26 characters; see keys list).`);
      await withDatabase(databaseOf(opts.db, io), async (db) => {
        const org = await resolveOrganization(db, opts.org);
        const row = await db.selectFrom('api_keys').select(['revoked_at']).where('id', '=', keyId).where('org_id', '=', org.id).executeTakeFirst();
        if (!row) throw failure(`No API key ${keyId} in ${org.name}.`);
        if (row.revoked_at !== null) throw failure(`${keyId} was already revoked at ${row.revoked_at}.`);
        // With the tokens and unexchanged secrets it minted. A server on this file refuses them at
        // once (SQLite's data_version) and its revoked-key watch ends their streams.
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('api_keys').set({ revoked_at: new Date().toISOString() }).where('id', '=', keyId).execute();
          await revokeKeyCredentials(trx, keyId);
        });
      });
      io.out(`revoked  ${keyId}`);
    });

  const origins = program.command('origins').description('Origins allowed to embed the organization\'s widgets (CORS and token exchange).');
  const change = async (opts: DbOptions, edit: (current: readonly string[]) => string[]) =>
    withDatabase(databaseOf(opts.db, io), async (db) => {
      const org = await resolveOrganization(db, opts.org);
      const current = (await db.selectFrom('allowed_origins').select('origin').where('org_id', '=', org.id).orderBy('position').execute()).map((r) => r.origin);
      const next = edit(current);
      if (next.length === current.length && next.every((o, i) => o === current[i])) return current;
      if (next.length > 50) throw failure('An organization allows at most 50 origins.');
      return db.transaction().execute((trx) => setAllowedOrigins(trx, org.id, next));
    });
  const print = (list: readonly string[]) => io.out(list.length === 0 ? '(no origins: no other site may embed the widgets)' : list.join('\n'));
  origins.command('list')
    .description('List the allowed origins.')
    .option(...ORG_OPTION).option(...DB_OPTION)
    .action(async (opts: DbOptions) => print(await change(opts, (current) => [...current])));
  origins.command('add')
    .description('Allow origins, e.g. https://intranet.example.com.')
    .argument('<origin...>', 'one or more origins (scheme and host, optional port)')
    .option(...ORG_OPTION).option(...DB_OPTION)
    .action(async (values: string[], opts: DbOptions) => {
      const added = values.map(parseOrigin);
      print(await change(opts, (current) => [...current, ...added]));
    });
  origins.command('remove')
    .description('Stop allowing origins.')
    .argument('<origin...>', 'one or more origins')
    .option(...ORG_OPTION).option(...DB_OPTION)
    .action(async (values: string[], opts: DbOptions) => {
      const removed = new Set(values.map(parseOrigin));
      print(await change(opts, (current) => {
        const missing = [...removed].filter((o) => !current.includes(o));
        if (missing.length > 0) throw failure(`Not an allowed origin: ${missing.join(', ')}. Nothing was changed.`);
        return current.filter((o) => !removed.has(o));
      }));
    });
}
