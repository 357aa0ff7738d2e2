// Signed embed URLs against the real server over HTTP (integrations on, a real SQLite file): the
// embed keys' admin API and command line, the page a valid URL opens (CSP, the inline one-time
// secret, the refresh endpoint), and every refusal as an error page with a stable code, the way
// the LTI launch's negative cases are tested.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importJWK, SignJWT } from 'jose';
import type { AccessToken, CreatedEmbedKey, EmbedKey, Me, Person, Room } from '@menteo/api';
import { runCli } from '../src/cli/program.js';
import { decodeEmbedSecret } from '../src/embed/secret.js';
import { createOrganization, signEmbedToken, signEmbedUrl } from '../src/index.js';
import { freePort } from './support/lti.js';
import { startServer, type TestServer } from './support/server.js';
import { expectStatus, person } from './support/world.js';

let server: TestServer;
let publicUrl: string;
let secret: string;
let mentee: Person;
let outsider: Person;
let room: Room;
let otherRoom: Room;

/** Opens an embed URL as a browser frame would; the body as text. */
async function open(url: string): Promise<{ status: number; headers: Headers; html: string }> {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** Asserts a refusal page: its status, its stable code (header and page), no 500. */
function expectRefused(page: { status: number; headers: Headers; html: string }, status: number, code: string): void {
  assert.equal(page.headers.get('menteo-error-code'), code, page.html.slice(0, 600));
  assert.equal(page.status, status);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.match(page.html, new RegExp(`data-menteo-error-code>${code}<`));
  assert.doesNotMatch(page.html, /mcs_|mep_/, 'a refusal hands out no secret');
}

/** A token signed with the test org's private key but free claims and header (for the negative cases). */
async function craft(claims: Record<string, unknown>, header: Record<string, unknown> = {}, key = secret): Promise<string> {
  const decoded = decodeEmbedSecret(key);
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: decoded.iss, sub: mentee.externalId ?? mentee.id, aud: 'menteo-embed', iat: now, exp: now + 120, jti: crypto.randomUUID(),
    component: 'room', roomIds: [room.id], ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: decoded.kid, ...header }).sign(await importJWK(decoded.jwk, 'ES256'));
}

function embedUrl(component: string, token: string): string {
  return `${publicUrl}/embed/${component}?token=${encodeURIComponent(token)}`;
}

/** base64url of a JSON value. */
function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

before(async () => {
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  server = await startServer({ port, integrations: { publicUrl, widgetsScriptUrl: 'https://cdn.example.test/menteo.js' } });
  const created = await server.call<CreatedEmbedKey>('POST', '/v1/embed/keys', { body: { label: 'intranet' } });
  expectStatus(created, 201);
  secret = created.body.secret;
  const m = await server.call<Person>('POST', '/v1/people', { body: { displayName: 'Tom Mentee', externalId: 'hr-tom' } });
  expectStatus(m, 201);
  mentee = m.body;
  outsider = await person(server, 'Otto Outsider');
  const mentor = await person(server, 'Mia Mentor', ['mentor']);
  const r = await server.call<Room>('POST', '/v1/rooms', { body: { title: 'Embedded circle', purpose: 'Grow', members: [{ personId: mentor.id, role: 'mentor' }, { personId: mentee.id, role: 'mentee' }] } });
  expectStatus(r, 201);
  room = r.body;
  const o = await server.call<Room>('POST', '/v1/rooms', { body: { title: 'Not yours', purpose: 'Other', members: [{ personId: mentor.id, role: 'mentor' }] } });
  expectStatus(o, 201);
  otherRoom = o.body;
});

after(async () => {
  await server?.close();
});

describe('embed keys (admin API)', () => {
  it('creates a key whose secret is shown once and whose public half only is stored', async () => {
    const created = await server.call<CreatedEmbedKey>('POST', '/v1/embed/keys', { body: { label: 'second', retirePreviousAfterSeconds: 3600 } });
    expectStatus(created, 201);
    assert.match(created.body.secret, /^mek_/);
    assert.equal(created.body.embedBaseUrl, `${publicUrl}/embed`);
    const listed = await server.call<{ items: EmbedKey[] }>('GET', '/v1/embed/keys');
    expectStatus(listed, 200);
    assert.ok(!listed.text.includes(created.body.secret));
    assert.equal(listed.body.items[0]?.id, created.body.key.id);
    // The key before it retires in an hour, not at once.
    assert.ok(listed.body.items[1]?.expiresAt);
    const stored = await server.db.selectFrom('embed_keys' as never).selectAll().where('id' as never, '=', created.body.key.id as never).executeTakeFirstOrThrow() as { public_jwk: string };
    assert.equal((JSON.parse(stored.public_jwk) as { d?: string }).d, undefined, 'no private key material is stored');
    expectStatus(await server.call('DELETE', `/v1/embed/keys/${created.body.key.id}`), 200);
  });

  it('needs an API key with org:admin', async () => {
    const limited = await server.call<{ secret: string }>('POST', '/v1/api-keys', { body: { name: 'reader', scopes: ['rooms:read'] } });
    expectStatus(limited, 201);
    expectStatus(await server.call('POST', '/v1/embed/keys', { auth: limited.body.secret, body: {} }), 403, 'forbidden');
    expectStatus(await server.call('GET', '/v1/embed/keys', { auth: null }), 401, 'unauthenticated');
    expectStatus(await server.call('DELETE', '/v1/embed/keys/embkey_doesnotexist00'), 404, 'not_found');
    expectStatus(await server.call('POST', '/v1/embed/keys', { body: { retirePreviousAfterSeconds: -1 } }), 400, 'invalid_request');
  });
});

describe('a signed embed URL', () => {
  it('opens the widget once, with frame-ancestors from the allowed origins and the session inline', async () => {
    const url = await signEmbedUrl({ secret, baseUrl: publicUrl, component: 'room', person: 'hr-tom', roomIds: [room.id] });
    const page = await open(url);
    assert.equal(page.status, 200, page.html);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors https:\/\/intranet\.acme\.test(;|$)/);
    assert.match(csp, /script-src 'nonce-[^']+' https:\/\/cdn\.example\.test/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(page.html, new RegExp(`<menteo-room room-id="${room.id}"></menteo-room>`));
    assert.match(page.html, new RegExp(`<menteo-provider id="menteo" base-url="${publicUrl}">`));
    assert.ok(!page.html.includes(new URL(url).searchParams.get('token') ?? '-'), 'the token is not echoed');

    // The inline secret is single-use and signs in the person the URL named, limited to the room.
    const first = /"secret":"(mcs_[^"]+)"/.exec(page.html)?.[1];
    const pageToken = /"token":"(mep_[^"]+)"/.exec(page.html)?.[1];
    assert.ok(first && pageToken, 'the page carries a client secret and a page token');
    const exchanged = await server.call<AccessToken>('POST', '/v1/tokens', { auth: null, body: { clientSecret: first } });
    expectStatus(exchanged, 200);
    const me = await server.call<Me>('GET', '/v1/me', { auth: exchanged.body.accessToken });
    assert.equal(me.body.person?.id, mentee.id);
    assert.deepEqual(me.body.roomIds, [room.id]);
    assert.deepEqual(me.body.components, ['room']);
    assert.ok(!me.body.scopes.includes('org:admin'));
    expectStatus(await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: first } }), 401, 'unauthenticated');

    // Later secrets come from the page token, in a header, never a URL.
    const refreshed = await fetch(`${publicUrl}/embed/session`, { method: 'POST', headers: { authorization: `Bearer ${pageToken}` } });
    assert.equal(refreshed.status, 200);
    const again = (await refreshed.json()) as { clientSecret: string };
    expectStatus(await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: again.clientSecret } }), 200);
    const refused = await fetch(`${publicUrl}/embed/session`, { method: 'POST', headers: { authorization: 'Bearer mep_forged' } });
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { code: string }).code, 'embed_session_ended');

    // Replayed: the same URL a second time.
    expectRefused(await open(url), 401, 'embed_token_replayed');
  });

  it('opens with the jose-only signer of docs/embedding.md', async () => {
    // Copied from the guide (typed): hosts that do not install @menteo/server.
    async function docSigner({ secret, baseUrl, component, person, roomIds, scopes }: { secret: string; baseUrl: string; component: string; person: string; roomIds?: string[]; scopes?: string[] }) {
      const { kid, iss, jwk } = JSON.parse(Buffer.from(secret.slice('mek_'.length), 'base64url').toString()) as { kid: string; iss: string; jwk: JsonWebKey };
      const token = await new SignJWT({ component, ...(roomIds && { roomIds }), ...(scopes && { scopes }) })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuer(iss).setSubject(person).setAudience('menteo-embed')
        .setIssuedAt().setExpirationTime('5m').setJti(crypto.randomUUID())
        .sign(await importJWK(jwk, 'ES256'));
      return `${baseUrl}/embed/${component}?token=${token}`;
    }
    const page = await open(await docSigner({ secret, baseUrl: publicUrl, component: 'room', person: 'hr-tom', roomIds: [room.id] }));
    assert.equal(page.status, 200, page.html);
  });

  it('does not spend the token on a HEAD request (link checkers, previews)', async () => {
    const url = await signEmbedUrl({ secret, baseUrl: publicUrl, component: 'feed', person: 'hr-tom' });
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('menteo-error-code'), null);
    const page = await open(url);
    assert.equal(page.status, 200, page.html);
  });

  it('shows the person\'s feed without a room, by Menteo id as well as external id', async () => {
    const page = await open(await signEmbedUrl({ secret, baseUrl: publicUrl, component: 'feed', person: mentee.id }));
    assert.equal(page.status, 200, page.html);
    assert.match(page.html, /<menteo-thread-feed><\/menteo-thread-feed>/);
  });

  it('refuses an expired token', async () => {
    const tenMinutesAgo = Date.now() - 10 * 60 * 1000;
    const token = await signEmbedToken({ secret, component: 'room', person: 'hr-tom', roomIds: [room.id], ttlSeconds: 60, now: () => tenMinutesAgo });
    expectRefused(await open(embedUrl('room', token)), 401, 'embed_token_expired');
  });

  it('accepts a clock 20 s behind (small skew) but not a token living longer than 5 minutes', async () => {
    const behind = Date.now() + 20_000;
    const skewed = await open(await signEmbedUrl({ secret, baseUrl: publicUrl, component: 'feed', person: 'hr-tom', now: () => behind }));
    assert.equal(skewed.status, 200, skewed.html);
    const now = Math.floor(Date.now() / 1000);
    expectRefused(await open(embedUrl('room', await craft({ exp: now + 3600 }))), 401, 'embed_token_too_long');
    await assert.rejects(signEmbedToken({ secret, component: 'room', person: 'hr-tom', ttlSeconds: 600 }), TypeError);
  });

  it('refuses a tampered signature or tampered claims', async () => {
    const token = await signEmbedToken({ secret, component: 'room', person: 'hr-tom', roomIds: [room.id] });
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
    expectRefused(await open(embedUrl('room', flipped)), 401, 'embed_signature_invalid');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const other = `${h}.${b64({ ...claims, sub: outsider.id })}.${s}`;
    expectRefused(await open(embedUrl('room', other)), 401, 'embed_signature_invalid');
  });

  it('refuses alg none and HMAC signed with the public key (algorithm pinned)', async () => {
    const decoded = decodeEmbedSecret(secret);
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: decoded.iss, sub: 'hr-tom', aud: 'menteo-embed', iat: now, exp: now + 60, jti: crypto.randomUUID(), component: 'room', roomIds: [room.id] };
    expectRefused(await open(embedUrl('room', `${b64({ alg: 'none', kid: decoded.kid })}.${b64(claims)}.`)), 401, 'embed_algorithm_refused');
    const { x, y, kty, crv } = decoded.jwk;
    const hmacKey = new TextEncoder().encode(JSON.stringify({ kty, crv, x, y }));
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: decoded.kid }).sign(hmacKey);
    expectRefused(await open(embedUrl('room', hs)), 401, 'embed_algorithm_refused');
  });

  it('refuses a wrong audience, an unknown key and another organization\'s key', async () => {
    expectRefused(await open(embedUrl('room', await craft({ aud: 'https://someone-else.example' }))), 401, 'embed_audience_invalid');
    expectRefused(await open(embedUrl('room', await craft({}, { kid: 'embkey_unknown000000' }))), 401, 'embed_key_unknown');
    // Globex's own key, but claiming to be Acme: the key is looked up in the issuer's organization.
    const globex = await createOrganization(server.db, { name: 'Globex' });
    const theirs = await server.call<CreatedEmbedKey>('POST', '/v1/embed/keys', { auth: globex.apiKey.secret, body: {} });
    expectStatus(theirs, 201);
    const decoded = decodeEmbedSecret(theirs.body.secret);
    const foreign = await craft({ iss: server.orgId }, { kid: decoded.kid }, theirs.body.secret);
    const [, p] = foreign.split('.') as [string, string, string];
    assert.equal((JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss: string }).iss, server.orgId, 'the token claims Acme');
    expectRefused(await open(embedUrl('room', foreign)), 401, 'embed_key_unknown');
    // Nor can Globex's admin key revoke (or learn of) Acme's embed key.
    expectStatus(await server.call('DELETE', `/v1/embed/keys/${decodeEmbedSecret(secret).kid}`, { auth: globex.apiKey.secret }), 404, 'not_found');
    assert.ok(!(await server.call<{ items: EmbedKey[] }>('GET', '/v1/embed/keys', { auth: globex.apiKey.secret })).body.items.some((k) => k.id === decodeEmbedSecret(secret).kid));
  });

  it('refuses a missing or malformed token, an unknown component and a component it was not signed for', async () => {
    expectRefused(await open(`${publicUrl}/embed/room`), 400, 'embed_token_missing');
    expectRefused(await open(embedUrl('room', 'not.a.jwt')), 400, 'embed_token_malformed');
    const token = await signEmbedToken({ secret, component: 'room', person: 'hr-tom', roomIds: [room.id] });
    expectRefused(await open(embedUrl('admin-console', token)), 404, 'embed_component_unknown');
    expectRefused(await open(embedUrl('roadmap', token)), 400, 'embed_component_mismatch');
    expectRefused(await open(embedUrl('room', await craft({ roomIds: undefined }))), 400, 'embed_room_required');
    expectRefused(await open(embedUrl('room', await craft({ scopes: ['org:admin'] }))), 400, 'embed_claims_invalid');
  });

  it('refuses a person not in the organization, a deactivated one, and a room they are not in', async () => {
    expectRefused(await open(embedUrl('room', await craft({ sub: 'hr-nobody' }))), 403, 'embed_person_unknown');
    expectRefused(await open(embedUrl('room', await craft({ roomIds: [otherRoom.id] }))), 403, 'embed_room_not_allowed');
    expectRefused(await open(embedUrl('room', await craft({ roomIds: ['room_01J00000000000000000000000'] }))), 403, 'embed_room_not_allowed');
    const gone = await server.call<Person>('POST', '/v1/people', { body: { displayName: 'Gone Soon', externalId: 'hr-gone' } });
    expectStatus(gone, 201);
    expectStatus(await server.call('PATCH', `/v1/people/${gone.body.id}`, { body: { active: false } }), 200);
    expectRefused(await open(embedUrl('feed', await craft({ sub: 'hr-gone', component: 'feed', roomIds: undefined }))), 403, 'embed_person_deactivated');
  });

  it('follows rotation: the old key works during its grace period, a revoked key at once stops', async () => {
    const old = secret;
    const rotated = await server.call<CreatedEmbedKey>('POST', '/v1/embed/keys', { body: { retirePreviousAfterSeconds: 3600 } });
    expectStatus(rotated, 201);
    assert.equal((await open(await signEmbedUrl({ secret: old, baseUrl: publicUrl, component: 'feed', person: 'hr-tom' }))).status, 200);
    const now = await server.call<CreatedEmbedKey>('POST', '/v1/embed/keys', { body: { retirePreviousAfterSeconds: 0 } });
    expectStatus(now, 201);
    expectRefused(await open(await signEmbedUrl({ secret: old, baseUrl: publicUrl, component: 'feed', person: 'hr-tom' })), 401, 'embed_key_retired');
    secret = now.body.secret;
    assert.equal((await open(await signEmbedUrl({ secret, baseUrl: publicUrl, component: 'feed', person: 'hr-tom' }))).status, 200);
    expectStatus(await server.call('DELETE', `/v1/embed/keys/${now.body.key.id}`), 200);
    expectRefused(await open(await signEmbedUrl({ secret, baseUrl: publicUrl, component: 'feed', person: 'hr-tom' })), 401, 'embed_key_revoked');
    const fresh = await server.call<CreatedEmbedKey>('POST', '/v1/embed/keys', { body: {} });
    expectStatus(fresh, 201);
    secret = fresh.body.secret;
  });
});

describe('menteo-server embed-keys', () => {
  it('creates, lists and revokes embed keys on a database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'menteo-embed-cli-'));
    try {
      const db = join(dir, 'menteo.db');
      const run = async (args: string[]) => {
        let out = '';
        let err = '';
        const code = await runCli(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env: {} });
        return { code, out, err };
      };
      assert.equal((await run(['init', '--org', 'Acme', '--admin-email', 'ada@acme.example', '--db', db])).code, 0);
      const created = await run(['embed-keys', 'create', '--label', 'intranet', '--json', '--db', db]);
      assert.equal(created.code, 0, created.err);
      const parsed = JSON.parse(created.out) as { key: EmbedKey; secret: string };
      assert.match(parsed.secret, /^mek_/);
      const listed = await run(['embed-keys', 'list', '--db', db]);
      assert.match(listed.out, new RegExp(parsed.key.id));
      assert.ok(!listed.out.includes(parsed.secret));
      assert.equal((await run(['embed-keys', 'revoke', parsed.key.id, '--db', db])).code, 0);
      const again = await run(['embed-keys', 'revoke', parsed.key.id, '--db', db]);
      assert.equal(again.code, 1);
      assert.match(again.err, /already revoked/);
      assert.equal((await run(['embed-keys', 'create', '--grace', 'soon', '--db', db])).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
