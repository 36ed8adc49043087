import { BlockList, isIP } from 'node:net';

/** Loopback, private, link-local (cloud metadata), CGNAT, multicast and reserved ranges. */
const INTERNAL_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const INTERNAL_V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
];

const internal = new BlockList();
for (const [net, prefix] of INTERNAL_V4) internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of INTERNAL_V6) internal.addSubnet(net, prefix, 'ipv6');

/** `::ffff:7f00:1` -> `127.0.0.1`: an IPv4 address dressed as IPv6 is checked as what it is. */
function unmapped(address: string): string {
  const match = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!match) return address;
  if (match[1]) return match[1];
  const high = parseInt(match[2], 16);
  const low = parseInt(match[3], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** Names that mean "this machine" whatever DNS says. */
const LOCAL_NAME = /(^|\.)localhost\.?$/i;

/**
 * Where outbound HTTP (publishers, webhooks) may go: anywhere public, never to
 * loopback, private or link-local addresses, unless OUTBOUND_ALLOWED_HOSTS lists
 * the host name or an address range (for a receiver on the same network, or a laptop).
 */
export class OutboundPolicy {
  private constructor(
    private readonly hosts: ReadonlySet<string>,
    private readonly ranges: BlockList,
  ) {}

  /** From OUTBOUND_ALLOWED_HOSTS entries: host names, addresses and CIDRs. */
  static from(entries: readonly string[]): OutboundPolicy {
    const hosts = new Set<string>();
    const ranges = new BlockList();
    for (const entry of entries) {
      const [address, prefix] = entry.split('/');
      const plain = address.replace(/^\[|\]$/g, '');
      if (isIP(plain) && prefix !== undefined) ranges.addSubnet(plain, Number(prefix), familyOf(plain));
      else if (isIP(plain)) ranges.addAddress(unmapped(plain), familyOf(unmapped(plain)));
      else hosts.add(entry.toLowerCase());
    }
    return new OutboundPolicy(hosts, ranges);
  }

  /** Whether a connection to `address`, made for the host name `host`, may go ahead. */
  allows(host: string, address: string): boolean {
    const ip = unmapped(address.replace(/^\[|\]$/g, ''));
    if (this.hosts.has(host.toLowerCase().replace(/^\[|\]$/g, ''))) return true;
    if (this.ranges.check(ip, familyOf(ip))) return true;
    return !internal.check(ip, familyOf(ip));
  }

  /**
   * Why `url` may not be saved as a receiver, or null: only http(s), no
   * credentials in it, no internal address or local name (unless allowed). A name
   * is checked again at each connection, against what it resolves to then.
   */
  refusalOf(url: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'must be an http(s) URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http(s) URL';
    if (parsed.username || parsed.password) return 'must not carry a user name or password';
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (
      isIP(host) ? !this.allows(host, host) : LOCAL_NAME.test(host) && !this.hosts.has(host.toLowerCase())
    ) {
      return 'must not point at a loopback, private or link-local address (see OUTBOUND_ALLOWED_HOSTS)';
    }
    return null;
  }
}
