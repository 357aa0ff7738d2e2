/**
 * The tool's RSA signing keys and their rotation. Three states: a `next` key is published in the
 * JWKS before it signs anything (platforms cache our JWKS), the `active` key signs, and a
 * `retired` key stays published for a grace period so tokens it signed still verify.
 * @module
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { LtiStore, ToolKey } from '../store.js';

/** A public JSON Web Key Set. */
export interface Jwks {
  keys: JWK[];
}

/** Signing key ready for jose. */
export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

/** Manages the tool's keys in an {@link LtiStore}. */
export interface ToolKeyring {
  /** Creates the active and next keys when missing. Safe to call on every start. */
  ensure(): Promise<void>;
  /** The key that signs now. */
  signingKey(): Promise<SigningKey>;
  /** Public keys to publish: next, active and retired keys still in their grace period. */
  jwks(): Promise<Jwks>;
  /**
   * Promotes the next key to active, retires the active one, creates a new next key and deletes
   * retired keys older than the grace period. Returns the new active key id.
   */
  rotate(): Promise<string>;
}

async function newKey(status: ToolKey['status']): Promise<ToolKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  const now = new Date().toISOString();
  return {
    kid,
    status,
    privateJwk: JSON.stringify({ ...privateJwk, kid, alg: 'RS256', use: 'sig' }),
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg: 'RS256', use: 'sig' }),
    createdAt: now,
    activatedAt: status === 'active' ? now : null,
    retiredAt: null,
  };
}

/**
 * Creates a keyring over the store. `retiredGraceMs` is how long a retired key stays published:
 * longer than any token we sign lives (client assertions: 5 minutes; deep-linking responses: 10).
 */
export function createToolKeyring(store: LtiStore, options: { retiredGraceMs?: number } = {}): ToolKeyring {
  const grace = options.retiredGraceMs ?? 24 * 60 * 60 * 1000;
  let cached: { kid: string; key: CryptoKey } | undefined;
  let ensuring: Promise<void> | undefined;

  async function ensureOnce(): Promise<void> {
    const keys = await store.listToolKeys();
    if (!keys.some((k) => k.status === 'active')) await store.insertToolKey(await newKey('active'));
    if (!keys.some((k) => k.status === 'next')) await store.insertToolKey(await newKey('next'));
  }

  const keyring: ToolKeyring = {
    ensure() {
      // Concurrent first requests must not create two active keys.
      ensuring ??= ensureOnce().finally(() => {
        ensuring = undefined;
      });
      return ensuring;
    },
    async signingKey() {
      const keys = await store.listToolKeys();
      let active = keys.find((k) => k.status === 'active');
      if (!active) {
        await keyring.ensure();
        active = (await store.listToolKeys()).find((k) => k.status === 'active');
      }
      if (!active) throw new Error('The tool has no active signing key.');
      if (cached?.kid !== active.kid) {
        const jwk = JSON.parse(active.privateJwk) as JWK;
        const key = await importJWK(jwk, 'RS256');
        if (!(key instanceof CryptoKey)) throw new Error('The tool signing key is not an RSA key.');
        cached = { kid: active.kid, key };
      }
      return cached;
    },
    async jwks() {
      await keyring.ensure();
      const now = Date.now();
      const keys = await store.listToolKeys();
      return {
        keys: keys
          .filter((k) => k.status !== 'retired' || (k.retiredAt !== null && now - Date.parse(k.retiredAt) < grace))
          .map((k) => JSON.parse(k.publicJwk) as JWK),
      };
    },
    async rotate() {
      await keyring.ensure();
      const now = new Date();
      const keys = await store.listToolKeys();
      const next = keys.find((k) => k.status === 'next');
      if (!next) throw new Error('The tool has no next key to promote.');
      for (const key of keys) {
        if (key.status === 'active') await store.setToolKeyStatus(key.kid, 'retired', now.toISOString());
        if (key.status === 'retired' && key.retiredAt !== null && now.getTime() - Date.parse(key.retiredAt) >= grace) {
          await store.deleteToolKey(key.kid);
        }
      }
      await store.setToolKeyStatus(next.kid, 'active', now.toISOString());
      await store.insertToolKey(await newKey('next'));
      cached = undefined;
      return next.kid;
    },
  };
  return keyring;
}
