import { describe, expect, it } from "vitest";
import type { DecodedPacket } from "~/protocol/terminalProtocol";
import { FILTER_ACCEPTS, parseFilter } from "./displayFilter";

const base = { len: 98, caplen: 98, layers: [], ts: 0 };
const eth = { src: "02:42:ac:11:00:02", dst: "02:42:ac:11:00:03", type: 0x800 };
const ping: DecodedPacket = {
  ...base,
  no: 1,
  src: "172.17.0.2",
  dst: "172.17.0.3",
  protocol: "ICMP",
  info: "Echo (ping) request",
  eth,
  ipv4: { src: "172.17.0.2", dst: "172.17.0.3", ttl: 64, protocol: 1 },
  icmp: { type: 8, code: 0, kind: "echo-request", id: 1, seq: 1 },
};
const arp: DecodedPacket = {
  ...base,
  no: 2,
  src: "02:42:ac:11:00:02",
  dst: "ff:ff:ff:ff:ff:ff",
  protocol: "ARP",
  info: "Who has 172.17.0.3? Tell 172.17.0.2",
  eth: { ...eth, dst: "ff:ff:ff:ff:ff:ff", type: 0x806 },
  arp: { op: "request", senderIp: "172.17.0.2", senderMac: eth.src, targetIp: "172.17.0.3", targetMac: "00:00:00:00:00:00" },
};
const dns: DecodedPacket = {
  ...base,
  no: 3,
  src: "172.17.0.2",
  dst: "172.17.0.1",
  protocol: "DNS",
  info: "Standard query A www.lab.example",
  eth,
  ipv4: { src: "172.17.0.2", dst: "172.17.0.1", ttl: 64, protocol: 17 },
  udp: { srcPort: 40000, dstPort: 53 },
  dns: { qr: "query", id: 1, questions: [{ name: "www.lab.example", type: "A" }], answers: [] },
};
const http: DecodedPacket = {
  ...base,
  no: 4,
  src: "172.17.0.2",
  dst: "172.17.0.4",
  protocol: "HTTP",
  info: "GET / HTTP/1.1",
  eth,
  ipv4: { src: "172.17.0.2", dst: "172.17.0.4", ttl: 64, protocol: 6 },
  tcp: { srcPort: 50000, dstPort: 80, flags: "PA" },
  http: { startLine: "GET / HTTP/1.1", headers: [["Host", "web"]] },
};
const all = [ping, arp, dns, http];

function shown(filter: string): number[] {
  const parsed = parseFilter(filter);
  if (!parsed.ok) throw new Error(parsed.error);
  return all.filter(parsed.test).map((p) => p.no);
}
function refused(filter: string): string {
  const parsed = parseFilter(filter);
  if (parsed.ok) throw new Error(`"${filter}" was accepted`);
  return parsed.error;
}

describe("display filter", () => {
  it("shows everything when empty", () => {
    expect(shown("")).toEqual([1, 2, 3, 4]);
    expect(shown("   ")).toEqual([1, 2, 3, 4]);
  });

  it("matches protocol names, whatever their case", () => {
    expect(shown("icmp")).toEqual([1]);
    expect(shown("ARP")).toEqual([2]);
    expect(shown("dns")).toEqual([3]);
    expect(shown("udp")).toEqual([3]);
    expect(shown("tcp")).toEqual([4]);
    expect(shown("http")).toEqual([4]);
    expect(shown("ip")).toEqual([1, 3, 4]);
    expect(shown("eth")).toEqual([1, 2, 3, 4]);
    expect(shown("ipv6")).toEqual([]);
  });

  it("matches IPv6 packets by their protocol", () => {
    const mld: DecodedPacket = { ...base, no: 5, src: "fe80::1", dst: "ff02::16", protocol: "IPv6", info: "", eth };
    const parsed = parseFilter("ipv6 and not ip");
    expect(parsed.ok && [ping, mld].filter(parsed.test).map((p) => p.no)).toEqual([5]);
  });

  it("matches addresses: ip.addr, ip.src, ip.dst, host (IPv4 and ARP), eth addresses", () => {
    expect(shown("ip.addr==172.17.0.3")).toEqual([1]);
    expect(shown("ip.addr == 172.17.0.2")).toEqual([1, 3, 4]);
    expect(shown("ip.dst eq 172.17.0.1")).toEqual([3]);
    expect(shown("ip.src != 172.17.0.2")).toEqual([2]);
    expect(shown("host 172.17.0.3")).toEqual([1, 2]);
    expect(shown("host FF:FF:FF:FF:FF:FF")).toEqual([2]);
    expect(shown("eth.dst == ff:ff:ff:ff:ff:ff")).toEqual([2]);
  });

  it("matches ports", () => {
    expect(shown("port 53")).toEqual([3]);
    expect(shown("tcp.port == 80")).toEqual([4]);
    expect(shown("udp.port == 80")).toEqual([]);
  });

  it("combines with and, or, not, their symbols and parentheses, not binding tighter than and, and than or", () => {
    expect(shown("icmp or arp")).toEqual([1, 2]);
    expect(shown("ip and not icmp")).toEqual([3, 4]);
    expect(shown("!arp && !dns")).toEqual([1, 4]);
    expect(shown("arp or icmp and host 172.17.0.1")).toEqual([2]);
    expect(shown("(arp or icmp) and ip.addr == 172.17.0.3")).toEqual([1]);
    expect(shown("not (arp || dns)")).toEqual([1, 4]);
  });

  it("refuses anything else with one line saying what was wrong and what is accepted", () => {
    const unknown = refused("icmpv6");
    expect(unknown).toMatch(/^unknown "icmpv6" at column 1; accepted: /);
    expect(unknown).toContain(FILTER_ACCEPTS);
    expect(unknown).not.toContain("\n");
    expect(refused("ip.addr == 300.1.1.1")).toMatch(/^"300\.1\.1\.1" at column 12 is not an IPv4 address/);
    expect(refused("ip.addr = 10.0.0.1")).toMatch(/^ip\.addr needs == or != and a value/);
    expect(refused("ip.addr ==")).toMatch(/^ip\.addr needs an IPv4 address/);
    expect(refused("host web")).toMatch(/^host needs an IPv4 address \(A\.B\.C\.D\) or a MAC address, not "web"/);
    expect(refused("port 70000")).toMatch(/is not a port/);
    expect(refused("icmp arp")).toMatch(/^unexpected "arp" at column 6 \(join terms with and\/or\)/);
    expect(refused("(icmp")).toMatch(/^expected "\)" at the end of the filter/);
    expect(refused("icmp and")).toMatch(/^the filter ends too early/);
    expect(refused("eth.src == 1:2")).toMatch(/is not a MAC address/);
  });
});
