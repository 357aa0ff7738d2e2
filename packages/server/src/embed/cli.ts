/**
 * `embed-keys create|list|revoke`: the organization's embed secrets for signed embed URLs, for
 * operators (the admin API has the same operations for org:admin keys).
 * @module
 */
import type { Command } from 'commander';
import { databaseOf, resolveOrganization, withDatabase } from '../cli/database.js';
import { failure, usageError } from '../cli/errors.js';
import { parseName } from '../cli/input.js';
import { table, type CliIo } from '../cli/io.js';
import { createEmbedKey, DEFAULT_RETIRE_AFTER_SECONDS, listEmbedKeys, revokeEmbedKey } from './keys.js';

interface DbOptions { db?: string; org?: string; json?: boolean }

const DB_OPTION = ['--db <path>', 'SQLite file (default: $MENTEO_DB or .menteo/menteo.db)'] as const;
const ORG_OPTION = ['--org <id or name>', 'the organization (needed when the database has several)'] as const;
const MAX_GRACE = 7 * 24 * 3600;

/** Adds `embed-keys create|list|revoke`. */
export function addEmbedCommands(program: Command, io: CliIo): void {
  const keys = program.command('embed-keys').description('Embed secrets: host backends sign /embed/<component> URLs with them (SharePoint, Teams, HR suites).');
  keys.command('create')
    .description('Create (rotate) the embed secret; it is printed once. Current keys keep working for --grace seconds.')
    .option('--label <label>', 'what the key is for, e.g. "intranet production"')
    .option('--grace <seconds>', `how long the current keys keep working (0 to ${MAX_GRACE})`, String(DEFAULT_RETIRE_AFTER_SECONDS))
    .option(...ORG_OPTION).option(...DB_OPTION)
    .option('--json', 'print the result as JSON')
    .action(async (opts: DbOptions & { label?: string; grace: string }) => {
      const label = opts.label === undefined ? undefined : parseName(opts.label, '--label', 80);
      const grace = Number(opts.grace);
      if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE) throw usageError(`--grace must be a whole number of seconds from 0 to ${MAX_GRACE}.`);
      const { created, org } = await withDatabase(databaseOf(opts.db, io), async (db) => {
        const org = await resolveOrganization(db, opts.org);
        return { org, created: await createEmbedKey(db, org.id, { label, retireAfterSeconds: grace }, new Date().toISOString()) };
      });
      if (opts.json) io.out(JSON.stringify({ organizationId: org.id, ...created }, null, 2));
      else io.out(`embed key  ${created.key.id}  ${created.key.label ?? ''}  (${org.name})\nsecret     ${created.secret}`);
      io.err(`The secret is shown this once; Menteo keeps only its public half. Put it in the host backend's secret store (e.g. MENTEO_EMBED_SECRET). Earlier keys stop working in ${grace} s.`);
    });
  keys.command('list')
    .description('List the embed keys (never their secrets).')
    .option(...ORG_OPTION).option(...DB_OPTION)
    .option('--json', 'print the result as JSON')
    .action(async (opts: DbOptions) => {
      const rows = await withDatabase(databaseOf(opts.db, io), async (db) => listEmbedKeys(db, (await resolveOrganization(db, opts.org)).id));
      if (opts.json) io.out(JSON.stringify(rows, null, 2));
      else io.out(table(['ID', 'LABEL', 'CREATED', 'EXPIRES', 'REVOKED'], rows.map((k) => [k.id, k.label ?? '-', k.createdAt, k.expiresAt ?? '-', k.revokedAt ?? '-'])));
    });
  keys.command('revoke')
    .description('Revoke an embed key: URLs it signed are refused from now on.')
    .argument('<keyId>', 'the key\'s id (embkey_…), from embed-keys list')
    .option(...ORG_OPTION).option(...DB_OPTION)
    .action(async (keyId: string, opts: DbOptions) => {
      if (!/^embkey_[A-Za-z0-9]{8,64}$/.test(keyId)) throw usageError(`"${keyId}" is not an embed key id (embkey_…; see embed-keys list).`);
      await withDatabase(databaseOf(opts.db, io), async (db) => {
        const org = await resolveOrganization(db, opts.org);
        const revoked = await revokeEmbedKey(db, org.id, keyId, new Date().toISOString());
        if (!revoked) throw failure(`No embed key ${keyId} in ${org.name}.`);
        if (!revoked.changed) throw failure(`${keyId} was already revoked at ${revoked.key.revokedAt ?? ''}.`);
      });
      io.out(`revoked  ${keyId}`);
    });
}
