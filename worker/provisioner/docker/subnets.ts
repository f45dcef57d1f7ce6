// Pick a free /24 for a lab network from the configured pool. Docker's own default pools hold
// only about thirty networks, so the platform allocates from its own range.
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

export function pickFreeSubnet(pool: string, used: string[], seed: string): string | undefined {
  const { start, prefix } = parseCidr(pool);
  if (prefix > 24) throw new Error(`the lab subnet pool ${pool} is smaller than one /24`);
  const count = 2 ** (24 - prefix);
  const taken = used.map(parseCidr);
  const first = createHash("sha256").update(seed).digest().readUInt32BE(0) % count;
  for (let i = 0; i < count; i++) {
    const candidate = start + ((first + i) % count) * 256;
    const overlaps = taken.some((r) => r.start <= candidate + 255 && candidate <= r.end);
    if (!overlaps) return `${toIp(candidate)}/24`;
  }
  return undefined;
}
