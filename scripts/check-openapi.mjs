#!/usr/bin/env node
// Lints the OpenAPI document the real server serves, as API consumers meet it: Spectral's `oas`
// ruleset and Redocly's `recommended` ruleset must report 0 errors, and types generated from it
// with openapi-typescript must type-check a typed call. Warnings are printed, not failed.
//
// Runs as a node:test file (`node --test scripts/check-openapi.mjs`), so `npm test` counts it.
// Needs the built packages (`npm run build`): it starts @menteo/server from dist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules/.bin', name);

/** Runs a tool; returns its exit code and output (the linters exit 1 on findings, which is data here). */
function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Counts findings by severity name, and lists the errors. */
function tally(findings) {
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

describe('the served OpenAPI document passes the linters', () => {
  let dir;
  let server;
  let docPath;
  let doc;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'menteo-openapi-'));
    const { startNodeServer } = await import('@menteo/server/node');
    server = await startNodeServer({ port: 0, hostname: '127.0.0.1', dbPath: join(dir, 'menteo.db'), rateLimit: false, ipRateLimit: false });
    const response = await fetch(`${server.url}/v1/openapi.json`);
    assert.equal(response.status, 200);
    doc = await response.json();
    docPath = join(dir, 'openapi.json');
    writeFileSync(docPath, JSON.stringify(doc, null, 2));
  });

  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the origin it is served from as its server', () => {
    assert.deepEqual(doc.servers.map((s) => s.url), [server.url]);
  });

  it("Spectral's oas ruleset: 0 errors", () => {
    writeFileSync(join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n');
    const r = run(bin('spectral'), ['lint', docPath, '--ruleset', join(dir, '.spectral.yaml'), '--format', 'json', '--quiet'], dir);
    // Spectral prints `[]` or the findings; severity 0 = error, 1 = warning, 2 = info, 3 = hint.
    const findings = JSON.parse(r.stdout.trim() || '[]').map((f) => ({ ...f, severity: ['error', 'warning', 'info', 'hint'][f.severity] }));
    const counts = tally(findings);
    console.log(`spectral (oas): ${counts.error} errors, ${counts.warning} warnings, ${counts.info} infos, ${counts.hint} hints`);
    for (const f of findings) console.log(`  ${f.severity} ${f.code} ${f.path.join('.')}: ${f.message}`);
    assert.equal(counts.error, 0, r.stderr);
  });

  it("Redocly's recommended ruleset: 0 errors", () => {
    writeFileSync(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');
    const r = run(bin('redocly'), ['lint', docPath, '--format', 'json', '--config', join(dir, 'redocly.yaml')], dir);
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    const findings = report.problems.map((p) => ({ ...p, severity: p.severity === 'error' ? 'error' : 'warning' }));
    const counts = tally(findings);
    console.log(`redocly (recommended): ${counts.error} errors, ${counts.warning} warnings`);
    for (const p of report.problems) console.log(`  ${p.severity} ${p.ruleId} ${p.location?.[0]?.pointer ?? ''}: ${p.message}`);
    assert.equal(counts.error, 0);
  });

  it('openapi-typescript generates types that type-check a typed call', () => {
    const types = join(dir, 'menteo-api.d.ts');
    const gen = run(bin('openapi-typescript'), [docPath, '--output', types], dir);
    assert.equal(gen.code, 0, gen.stderr);
    writeFileSync(join(dir, 'call.ts'), [
      "import type { paths, components } from './menteo-api.js';",
      "type Room = components['schemas']['Room'];",
      "type GetRoom = paths['/v1/rooms/{roomId}']['get'];",
      "type RoomParams = GetRoom['parameters']['path'];",
      "type RoomAnswer = GetRoom['responses'][200]['content']['application/json'];",
      'export async function getRoom(baseUrl: string, token: string, params: RoomParams): Promise<Room> {',
      '  const r = await fetch(`${baseUrl}/v1/rooms/${encodeURIComponent(params.roomId)}`, { headers: { authorization: `Bearer ${token}` } });',
      '  const room = (await r.json()) as RoomAnswer;',
      '  const title: string = room.title;',
      '  void title;',
      '  return room;',
      '}',
      "type CreatePost = NonNullable<paths['/v1/threads/{threadId}/posts']['post']['requestBody']>['content']['application/json'];",
      "export const post: CreatePost = { body: 'Shipped the first milestone.' };",
      '// @ts-expect-error: request bodies are typed, an unknown audience is refused',
      "export const wrong: CreatePost = { body: 'x', audience: 'everyone-on-earth' };",
      "type Problem = components['schemas']['Problem'];",
      '// The live-position protocol: the Prefer parameter in, the position headers out.',
      "export const prefer: NonNullable<GetRoom['parameters']['header']>['Prefer'] = 'event-position';",
      "type Position = GetRoom['responses'][200]['headers']['Menteo-Event-Position'];",
      'export const position: Position = 42;',
      "// @ts-expect-error: a position is a number (an undeclared header would be unknown and accept it)",
      "export const notPosition: Position = 'latest';",
      "export const code = (p: Problem): string => p.code;",
      '',
    ].join('\n'));
    const tsc = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), join(dir, 'call.ts')], dir);
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
  });
});
