// Parsers for what busybox prints, so tests and graders read live state from real commands.

export type Interface = { name: string; mac?: string; ipv4?: string; mask?: string };

/** `ifconfig` (busybox): one block per interface, separated by blank lines. */
export function parseIfconfig(output: string): Map<string, Interface> {
  const interfaces = new Map<string, Interface>();
  for (const block of output.replace(/\r/g, "").split(/\n\s*\n/)) {
    const name = /^(\S+)\s+Link encap/m.exec(block)?.[1];
    if (!name) continue;
    const mac = /HWaddr\s+([0-9A-Fa-f:]{17})/.exec(block)?.[1]?.toLowerCase();
    const inet = /inet addr:(\d+\.\d+\.\d+\.\d+)(?:.*?Mask:(\d+\.\d+\.\d+\.\d+))?/.exec(block);
    interfaces.set(name, {
      name,
      ...(mac ? { mac } : {}),
      ...(inet?.[1] ? { ipv4: inet[1] } : {}),
      ...(inet?.[2] ? { mask: inet[2] } : {}),
    });
  }
  return interfaces;
}

export type NslookupAnswer = { server?: string; addresses: string[]; nxdomain: boolean };

/** `nslookup NAME [SERVER]` (busybox): the server it asked and the addresses it got. */
export function parseNslookup(output: string): NslookupAnswer {
  const text = output.replace(/\r/g, "");
  const server = /^Server:\s+(\S+)/m.exec(text)?.[1];
  const answer = text
    .split(/\n\s*\n/)
    .slice(1)
    .join("\n");
  const addresses = [...answer.matchAll(/^Address(?: \d+)?:\s+(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]!);
  return { ...(server ? { server } : {}), addresses, nxdomain: /NXDOMAIN/.test(text) };
}

/** Whether an IPv4 address lies in the subnet of `network/mask`. */
export function sameSubnet(a: string, b: string, mask: string): boolean {
  const n = (ip: string) => ip.split(".").reduce((acc, part) => (acc << 8) | Number(part), 0) >>> 0;
  return (n(a) & n(mask)) >>> 0 === (n(b) & n(mask)) >>> 0;
}
