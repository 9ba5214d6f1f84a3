import { BlockList, isIP } from "node:net";

// IANA special-purpose IPv4 ranges that must never receive a webhook: "this network", private,
// CGNAT, loopback, link-local (cloud metadata), IETF protocol assignments, documentation, benchmarking,
// AS112/AMT/6to4 relay anycast, multicast and the reserved block up to the broadcast address.
const IPV4_SPECIAL: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.31.196.0", 24],
  ["192.52.193.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["192.175.48.0", 24],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

// IPv6: unspecified and loopback are inside ::/96 (IPv4-compatible, deprecated), refused whole, as are
// IPv4-mapped and IPv4-translated forms: a real IPv4 destination arrives as family 4, never in these
// spellings, so they only serve to smuggle an inside address past a text check. 6to4 is deprecated
// (RFC 7526) and refused whole; the NAT64 well-known prefix is allowed only for public IPv4 (below).
const IPV6_SPECIAL: readonly (readonly [string, number])[] = [
  ["::", 96],
  ["::ffff:0:0", 96],
  ["::ffff:0:0:0", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["3fff::", 20],
  ["5f00::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
];

// Two lists: one BlockList matches IPv4 addresses against IPv6 rules through their mapped form, so
// `::ffff:0:0/96` there would refuse every IPv4 address.
function buildBlockLists(): { v4: BlockList; v6: BlockList } {
  const v4 = new BlockList();
  const v6 = new BlockList();
  for (const [net, prefix] of IPV4_SPECIAL) {
    v4.addSubnet(net, prefix, "ipv4");
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits: refuse it where the IPv4 one is refused.
    const [a = 0, b = 0, c = 0, d = 0] = net.split(".").map(Number);
    v6.addSubnet(`64:ff9b::${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`, 96 + prefix, "ipv6");
  }
  for (const [net, prefix] of IPV6_SPECIAL) v6.addSubnet(net, prefix, "ipv6");
  return { v4, v6 };
}

let lists: { v4: BlockList; v6: BlockList } | undefined;

/**
 * True when an IP address is globally routable: not loopback, private, link-local, CGNAT, ULA,
 * multicast, documentation/benchmark/reserved, unspecified, nor an IPv4-mapped, -compatible or
 * -translated IPv6 form. False for anything that is not an IP address (fail closed).
 * @example
 * ```ts
 * isPublicAddress("93.184.215.14"); // true
 * isPublicAddress("::ffff:0:7f00:1"); // false
 * ```
 */
export function isPublicAddress(address: string): boolean {
  const ip = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const kind = isIP(ip);
  if (kind === 0) return false;
  lists ??= buildBlockLists();
  return kind === 4 ? !lists.v4.check(ip, "ipv4") : !lists.v6.check(ip, "ipv6");
}

/**
 * The form of a URL host name every check compares: brackets of IPv6 literals removed, lower case,
 * trailing dots removed (`localhost.` is `localhost` to a resolver). Pass `URL.hostname`, which has
 * already applied IDNA (so full-width and other Unicode spellings arrive as ASCII) and parsed IPv4 in
 * hex, octal or integer form to dotted decimal.
 */
export function normaliseHost(hostname: string): string {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return bare.toLowerCase().replace(/\.+$/, "");
}

// Names that resolve inside by convention: RFC 6761/6762 special-use names, the home network
// (RFC 8375), cloud metadata (`metadata.google.internal`) and common intranet suffixes.
const LOCAL_SUFFIXES = ["localhost", "local", "internal", "localdomain", "home.arpa", "intranet", "lan", "corp"];

/**
 * True when a normalised host (see {@link normaliseHost}) is not a public destination: a non-public
 * IP literal, an empty or single-label name, or a name under a local suffix (`localhost`, `.local`,
 * `.internal`, `home.arpa` ...). A public-looking name may still resolve inside: the transport checks
 * the addresses it resolves as well.
 */
export function isLocalHost(host: string): boolean {
  if (isIP(host) !== 0) return !isPublicAddress(host);
  if (host === "" || !host.includes(".")) return true;
  return LOCAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`));
}
