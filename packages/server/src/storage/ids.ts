/**
 * Resource identifiers: `<prefix>_<ULID>`. A tiny monotonic ULID generator on Web Crypto, so it
 * runs unchanged in Node and browsers; within one millisecond the random part is incremented,
 * which keeps "order by id" equal to creation order inside one process.
 * @module
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
/** The 80 random bits as 16 base-32 digits (5 bits each), kept to increment within one ms. */
let lastRandom: number[] = [];

function randomDigits(): number[] {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b & 31);
}

function incremented(digits: number[]): number[] {
  const out = digits.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    const d = out[i] ?? 0;
    if (d < 31) {
      out[i] = d + 1;
      return out;
    }
    out[i] = 0;
  }
  // 2^80 ids in one millisecond cannot happen; wrap rather than throw.
  return out;
}

/** A new monotonic ULID (26 Crockford base-32 characters). */
export function ulid(now: number = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = incremented(lastRandom);
    now = lastTime;
  } else {
    lastTime = now;
    lastRandom = randomDigits();
  }
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  return time + lastRandom.map((d) => ALPHABET.charAt(d)).join('');
}

/** Prefixes of every resource kind. */
export type IdPrefix =
  | 'org' | 'per' | 'key' | 'room' | 'msg' | 'note' | 'act' | 'res' | 'rmap' | 'mil' | 'rev'
  | 'thr' | 'post' | 'cmt' | 'chk' | 'fbk' | 'fbr' | 'lrn' | 'tok'
  | 'prog' | 'coh' | 'tpl' | 'tms' | 'imp' | 'tdec' | 'aud';

/** A new identifier of the given kind. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}

/** True when `value` looks like an id of the given kind (used to validate cursors). */
export function isId(value: unknown, prefix: string): value is string {
  return typeof value === 'string' && new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`).test(value);
}
