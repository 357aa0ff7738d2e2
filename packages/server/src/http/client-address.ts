/**
 * The client's address behind reverse proxies, for the per-IP rate limit of unauthenticated calls.
 * Without it every caller behind a proxy shares the proxy's bucket, and one caller exhausts it
 * for all.
 *
 * Express's `trust proxy` semantics (its `proxy-addr`): the addresses are the socket peer, then
 * `X-Forwarded-For` read from right to left (each proxy appends the address it received the
 * request from). Walking that chain from the socket, the client is the first address that is not
 * a trusted proxy, or the last one when all are. A peer that is not trusted is the client, and
 * its `X-Forwarded-For` is never read: anyone can send the header.
 *
 * Matching uses `node:net`'s `BlockList` (CIDR for IPv4 and IPv6) rather than `proxy-addr`
 * itself: the same rule in a few lines, without a dependency.
 * @module
 */
import { BlockList, isIP } from 'node:net';

/** Which socket peers are proxies whose `X-Forwarded-For` is believed. */
export type TrustProxy =
  /** The last `hops` addresses of the chain (the socket peer first) are proxies. */
  | { readonly kind: 'hops'; readonly hops: number }
  /** Peers in these addresses or ranges are proxies. */
  | { readonly kind: 'addresses'; readonly list: BlockList };

/** Ranges that Express's `trust proxy` names. */
const NAMED: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `::ffff:10.0.0.1` (an IPv4 peer of a dual-stack socket) is `10.0.0.1`. */
function normalized(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

function family(address: string): 'ipv4' | 'ipv6' | null {
  const v = isIP(address);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : null;
}

/**
 * Parses `MENTEO_TRUST_PROXY`: a number of proxy hops (`1` for one proxy in front), or a comma
 * separated list of addresses, CIDR ranges (`10.0.0.0/8`, `fd00::/8`) and the names `loopback`,
 * `linklocal`, `uniquelocal`. Undefined when unset or empty: no proxy is trusted. Throws an error
 * naming the variable for anything else.
 */
export function parseTrustProxy(value: string | undefined, name = 'MENTEO_TRUST_PROXY'): TrustProxy | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (!(hops >= 1 && hops <= 32)) throw new Error(`${name} must be a number of proxy hops from 1 to 32, or addresses and CIDR ranges`);
    return { kind: 'hops', hops };
  }
  const list = new BlockList();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    for (const item of NAMED[entry.toLowerCase()] ?? [entry]) {
      const [address = '', prefix, extra] = item.split('/');
      const fam = family(address);
      const bits = prefix === undefined ? (fam === 'ipv4' ? 32 : 128) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (fam === null || extra !== undefined || !(bits >= 0 && bits <= (fam === 'ipv4' ? 32 : 128))) {
        throw new Error(`${name}: "${entry}" is not an address, a CIDR range, loopback, linklocal or uniquelocal`);
      }
      list.addSubnet(address, bits, fam);
    }
  }
  return { kind: 'addresses', list };
}

/**
 * The client's address: `peer` (the socket's remote address) when no proxy is trusted or the
 * peer is not one, else the first untrusted address of `X-Forwarded-For` read from the right.
 * An entry that is not an IP address ends the walk at the last good address, which is then the
 * client (a proxy that wrote garbage is not a way to pick one's bucket).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | null, trust: TrustProxy | undefined): string | undefined {
  if (peer === undefined) return undefined;
  let client = normalized(peer);
  if (trust === undefined || forwardedFor === null) return client;
  const forwarded = forwardedFor.split(',').map((a) => normalized(a.trim())).reverse();
  for (let hop = 0; hop < forwarded.length; hop++) {
    if (!trusted(client, hop, trust)) return client;
    const next = forwarded[hop] ?? '';
    if (family(next) === null) return client;
    client = next;
  }
  return client;
}

function trusted(address: string, hop: number, trust: TrustProxy): boolean {
  if (trust.kind === 'hops') return hop < trust.hops;
  const fam = family(address);
  return fam !== null && trust.list.check(address, fam);
}
