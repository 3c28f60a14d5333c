import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { MESSAGES } from '@/lib/deploys/schemas';
import { env } from '@/lib/env';

// Deploy hooks must not reach inside: Keyhold POSTs wherever an admin points a
// hook, so a hook at a loopback, link-local (cloud metadata), private or CGNAT
// address would let anyone who may edit hooks probe the internal network. The
// URL is checked when saved, and the address actually connected to is checked
// again at delivery (a custom DNS lookup on the request), so a name that
// resolves elsewhere later (DNS rebinding) does not help.
// KEYHOLD_HOOKS_ALLOW_PRIVATE=true turns the policy off (receivers on the same host, tests).

export const HOOK_PRIVATE_ADDRESS = MESSAGES.hookUrlPrivate;
/** The error code a refused connection fails with (named in the deployment's failure). */
export const PRIVATE_ADDRESS_CODE = 'EKEYHOLDPRIVATE';

const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", incl. the unspecified 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. cloud metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. the broadcast 255.255.255.255
] as const) {
  // BlockList also matches these in IPv4-mapped IPv6 form (::ffff:127.0.0.1).
  internal.addSubnet(network, prefix, 'ipv4');
}
// IPv6 ranges that are internal, or that carry an IPv4 address a router may turn
// into a connection to it: those are refused whole rather than decoded.
for (const [network, prefix] of [
  ['::', 96], // IPv4-compatible (::127.0.0.1), incl. the unspecified :: and loopback ::1
  ['64:ff9b::', 96], // NAT64 (64:ff9b::a9fe:a9fe is 169.254.169.254 through the gateway)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2002::', 16], // 6to4 (the IPv4 address in bits 16-48)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

let allowOverride: boolean | null = null;

/** Overrides KEYHOLD_HOOKS_ALLOW_PRIVATE (tests); null reads the configuration again. */
export function setHooksAllowPrivate(allow: boolean | null): void {
  allowOverride = allow;
}

const allowPrivate = () => allowOverride ?? env().KEYHOLD_HOOKS_ALLOW_PRIVATE;

/** True for a loopback, link-local, private, CGNAT, multicast, reserved, documentation or unspecified address, or an IPv6 one embedding IPv4 (compatible, NAT64, 6to4). */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL as an address or a name (brackets of an IPv6 literal removed). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * At save: null when the hook URL may be used, else why not. A literal address
 * is judged as it is; a name by every address it resolves to now (a name that
 * does not resolve yet is left to the check at delivery).
 */
export async function hookUrlProblem(url: string): Promise<string | null> {
  if (allowPrivate()) return null;
  const host = hostOf(new URL(url));
  if (isIP(host)) return isInternalAddress(host) ? HOOK_PRIVATE_ADDRESS : null;
  const addresses = await new Promise<LookupAddress[]>((resolve) => dnsLookup(host, { all: true }, (error, found) => resolve(error ? [] : found)));
  return addresses.some(({ address }) => isInternalAddress(address)) ? HOOK_PRIVATE_ADDRESS : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type Lookup = (hostname: string, options: { all?: boolean }, callback: LookupCallback) => void;

const refused = (address: string) => Object.assign(new Error(`${HOOK_PRIVATE_ADDRESS} (${address})`), { code: PRIVATE_ADDRESS_CODE }) as NodeJS.ErrnoException;

/**
 * At delivery: a DNS lookup for the request's socket that refuses internal
 * addresses, so the address connected to is the address checked. `resolve` is
 * the underlying lookup (dns.lookup; tests pass their own to play DNS rebinding).
 */
export function guardedLookup(resolve: Lookup = dnsLookup as unknown as Lookup): Lookup {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, '');
      const addresses = found as LookupAddress[];
      const bad = allowPrivate() ? undefined : addresses.find(({ address }) => isInternalAddress(address));
      if (bad) return callback(refused(bad.address), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** At delivery, for a URL whose host is a literal address (no lookup happens): the same refusal, or null. */
export function literalAddressRefusal(url: URL): NodeJS.ErrnoException | null {
  const host = hostOf(url);
  return isIP(host) && !allowPrivate() && isInternalAddress(host) ? refused(host) : null;
}
