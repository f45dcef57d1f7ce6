// Pick a free subnet for a lab network from one of the platform's pools (a /16 from
// LAB_BRIDGE_POOL for the default bridge, a /24 from LAB_SUBNET_POOL for the others). Docker's own
// default pools hold only about thirty networks, so the platform allocates from its own ranges.
import { createHash } from "node:crypto";

type Range = { start: number; end: number };

function toInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`"${ip}" is not an IPv4 address`);
  }
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function parseCidr(cidr: string): Range & { prefix: number } {
  const [ip, bits] = cidr.split("/");
  const prefix = Number(bits);
  if (!ip || !Number.isInteger(prefix) || prefix < 0 || prefix > 32)
    throw new Error(`"${cidr}" is not an IPv4 CIDR such as 10.213.0.0/16`);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(toInt(ip) / size) * size;
  return { start, end: start + size - 1, prefix };
}

/** The address at `offset` inside a subnet (e.g. 254 → the session host). */
export function addressIn(subnet: string, offset: number): string {
  return toIp(parseCidr(subnet).start + offset);
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  return a.start >= b.start && a.end <= b.end;
}

/**
 * A free subnet of `/prefixLength` inside `pool` that overlaps none of `used`: the first one, in
 * pool order, from a point that `seed` decides (so concurrent sessions rarely pick the same one).
 */
export function pickFreeSubnet(pool: string, used: string[], seed: string, prefixLength = 24): string | undefined {
  const { start, prefix } = parseCidr(pool);
  if (prefix > prefixLength) throw new Error(`the pool ${pool} is smaller than one /${prefixLength}`);
  const size = 2 ** (32 - prefixLength);
  const count = 2 ** (prefixLength - prefix);
  const taken = used.map(parseCidr);
  const first = createHash("sha256").update(seed).digest().readUInt32BE(0) % count;
  for (let i = 0; i < count; i++) {
    const candidate = start + ((first + i) % count) * size;
    const overlaps = taken.some((r) => r.start <= candidate + size - 1 && candidate <= r.end);
    if (!overlaps) return `${toIp(candidate)}/${prefixLength}`;
  }
  return undefined;
}
