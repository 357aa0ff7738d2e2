/**
 * `init` and `org`: the commands that create organizations.
 * @module
 */
import { SCOPES } from '@menteo/api/scopes';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { insertApiKey, setAllowedOrigins } from '../auth/bootstrap.js';
import { newId } from '../storage/ids.js';
import type { Database } from '../storage/schema.js';
import { databaseOf, openMigrated, storeName, withDatabase } from './database.js';
import { failure } from './errors.js';
import { parseEmail, parseName, parseOrigin } from './input.js';
import { table, type CliIo } from './io.js';
import { insertAdmin } from './people.js';

/** What `init` and `org create` made; the key's secret exists only in this value. */
interface Created {
  readonly organization: { readonly id: string; readonly name: string; readonly allowedOrigins: readonly string[] };
  readonly apiKey: { readonly id: string; readonly name: string; readonly secret: string };
  readonly admin: { readonly id: string; readonly email: string; readonly displayName: string } | null;
}

/** One transaction: organization, origins, a key with every scope and, when named, its first admin. */
async function createOrg(db: Kysely<Database>, input: { name: string; origins: readonly string[]; keyName: string; admin?: { email: string; displayName: string } }): Promise<Created> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const id = newId('org');
    await trx.insertInto('organizations').values({ id, name: input.name, created_at: now }).execute();
    const allowedOrigins = await setAllowedOrigins(trx, id, input.origins);
    const { key, secret } = await insertApiKey(trx, id, input.keyName, SCOPES, now);
    const admin = input.admin ? await insertAdmin(trx, id, input.admin.displayName, input.admin.email, now) : null;
    return {
      organization: { id, name: input.name, allowedOrigins },
      apiKey: { id: key.id, name: key.name, secret },
      admin: admin && { id: admin.id, email: input.admin?.email ?? '', displayName: admin.display_name },
    };
  });
}

/** Prints what was created; the secret once, on stdout, with a warning on stderr. */
function report(created: Created, io: CliIo, asJson: boolean): void {
  if (asJson) {
    io.out(JSON.stringify(created, null, 2));
  } else {
    io.out(`organization  ${created.organization.id}  ${created.organization.name}`);
    if (created.organization.allowedOrigins.length > 0) io.out(`origins       ${created.organization.allowedOrigins.join(' ')}`);
    if (created.admin) io.out(`admin         ${created.admin.id}  ${created.admin.email}`);
    io.out(`api key       ${created.apiKey.id}  ${created.apiKey.name}`);
    io.out(`secret        ${created.apiKey.secret}`);
  }
  io.err('The API key\'s secret is shown this once and stored only as a hash: keep it in your secret store now.');
}

interface OrgOptions { db?: string; origin?: string[]; json?: boolean }

/** Adds `init` and `org create|list`. */
export function addSetupCommands(program: Command, io: CliIo): void {
  program.command('init')
    .description('Create the database, migrate it, and create the first organization, its admin and an API key with every scope (the key\'s secret is printed once).')
    .option('--db <path>', 'SQLite file (default: $MENTEO_DB or .menteo/menteo.db; MENTEO_DATABASE_URL selects PostgreSQL instead)')
    .option('--org <name>', 'name of the first organization', 'My organization')
    .requiredOption('--admin-email <email>', 'email of the first admin (the person admin-link signs in)')
    .option('--admin-name <name>', 'display name of the first admin (default: the email\'s local part)')
    .option('--origin <origin...>', 'origins allowed to embed the widgets, e.g. https://intranet.example.com')
    .option('--force', 'create another organization even though the database already has one')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  $ menteo-server init --org "Acme" --admin-email ada@acme.example --origin https://intranet.acme.example')
    .action(async (opts: OrgOptions & { org: string; adminEmail: string; adminName?: string; force?: boolean }) => {
      const name = parseName(opts.org, '--org');
      const email = parseEmail(opts.adminEmail, '--admin-email');
      const displayName = parseName(opts.adminName ?? email.split('@')[0] ?? email, '--admin-name');
      const origins = (opts.origin ?? []).map(parseOrigin);
      const store = databaseOf(opts.db, io);
      const path = storeName(store);
      const created = await withDatabase(store, async (db) => {
        const existing = await db.selectFrom('organizations').select(['id', 'name']).limit(1).executeTakeFirst();
        if (existing && !opts.force) {
          throw failure(`${path} is already initialised (organization ${existing.id} "${existing.name}"). Nothing was changed. Use \`menteo-server keys create\` for another key, or \`init --force\` to add an organization.`);
        }
        return createOrg(db, { name, origins, keyName: 'admin', admin: { email, displayName } });
      }, openMigrated);
      io.err(`Initialised ${path}.`);
      report(created, io, opts.json === true);
      io.err(`Next: \`menteo-server serve\`, then \`menteo-server admin-link --person ${email}\` for a console sign-in link.`);
    });

  const org = program.command('org').description('Organizations (tenants) in this database.');
  org.command('create')
    .description('Create an organization with an API key with every scope (the secret is printed once).')
    .argument('<name>', 'organization name')
    .option('--db <path>', 'SQLite file (default: $MENTEO_DB or .menteo/menteo.db; MENTEO_DATABASE_URL selects PostgreSQL instead)')
    .option('--admin-email <email>', 'also create its first admin')
    .option('--admin-name <name>', 'display name of that admin')
    .option('--origin <origin...>', 'origins allowed to embed the widgets')
    .option('--json', 'print the result as JSON')
    .action(async (rawName: string, opts: OrgOptions & { adminEmail?: string; adminName?: string }) => {
      const name = parseName(rawName, '<name>');
      const email = opts.adminEmail === undefined ? undefined : parseEmail(opts.adminEmail, '--admin-email');
      const admin = email === undefined ? undefined : { email, displayName: parseName(opts.adminName ?? email.split('@')[0] ?? email, '--admin-name') };
      const origins = (opts.origin ?? []).map(parseOrigin);
      const created = await withDatabase(databaseOf(opts.db, io), (db) => createOrg(db, { name, origins, keyName: 'admin', ...(admin ? { admin } : {}) }));
      report(created, io, opts.json === true);
    });
  org.command('list')
    .description('List the organizations with their origins, keys and people.')
    .option('--db <path>', 'SQLite file (default: $MENTEO_DB or .menteo/menteo.db; MENTEO_DATABASE_URL selects PostgreSQL instead)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: OrgOptions) => {
      const rows = await withDatabase(databaseOf(opts.db, io), async (db) => {
        const orgs = await db.selectFrom('organizations').selectAll().orderBy('created_at').execute();
        return Promise.all(orgs.map(async (o) => {
          const origins = await db.selectFrom('allowed_origins').select('origin').where('org_id', '=', o.id).orderBy('position').execute();
          const keys = await db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', o.id).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
          const people = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', o.id).executeTakeFirstOrThrow();
          return { id: o.id, name: o.name, createdAt: o.created_at, allowedOrigins: origins.map((r) => r.origin), activeKeys: Number(keys.n), people: Number(people.n) };
        }));
      });
      if (opts.json) io.out(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) io.err('No organizations yet: run `menteo-server init`.');
      else io.out(table(['ID', 'NAME', 'KEYS', 'PEOPLE', 'ORIGINS'], rows.map((r) => [r.id, r.name, String(r.activeKeys), String(r.people), r.allowedOrigins.join(' ') || '-'])));
    });
}
