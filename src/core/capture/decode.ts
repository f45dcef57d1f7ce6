// Decodes one captured Ethernet frame (pcap linktype 1) into what the capture panel shows and the
// capture checks read: Ethernet, ARP, IPv4, ICMP, UDP, TCP, DNS (dns-packet), HTTP's first line and
// headers. Pure; never throws: a truncated or odd layer ends the decoding with what was read so far.
import dnsPacket from "dns-packet";
import type { DecodedPacket, PacketLayer } from "~/protocol/terminalProtocol";

export type { DecodedPacket, PacketLayer } from "~/protocol/terminalProtocol";

/** What the pcap record says about the frame. */
export type FrameMeta = { no: number; ts: number; len: number };

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const DNS_PORTS = new Set([53, 5353]);
const HTTP_METHODS = /^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE) \S+ HTTP\/\d\.\d$/;
const HTTP_STATUS = /^HTTP\/\d\.\d \d{3}( .*)?$/;
const MAX_HTTP_HEADERS = 50;
const DNS_RCODES: Record<number, string> = { 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED" };

const hex = (n: number, width: number) => "0x" + n.toString(16).padStart(width, "0");
const mac = (b: Buffer, at: number) => Array.from(b.subarray(at, at + 6), (x) => x.toString(16).padStart(2, "0")).join(":");
const ipv4 = (b: Buffer, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const ipv6 = (b: Buffer, at: number) => {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(at + i * 2).toString(16));
  return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
};
const field = (name: string, value: string | number) => ({ name, value: String(value) });

const ICMP_KINDS: Record<number, string> = {
  0: "echo-reply",
  3: "destination-unreachable",
  5: "redirect",
  8: "echo-request",
  11: "time-exceeded",
};
const ICMP_INFO: Record<number, string> = {
  0: "Echo (ping) reply",
  3: "Destination unreachable",
  5: "Redirect",
  8: "Echo (ping) request",
  11: "Time-to-live exceeded",
};
const UNREACHABLE: Record<number, string> = {
  0: "Network unreachable",
  1: "Host unreachable",
  2: "Protocol unreachable",
  3: "Port unreachable",
};

type Draft = DecodedPacket;

/** Decodes one Ethernet frame. `frame` is the captured bytes (caplen = frame.length). */
export function decodeFrame(frame: Uint8Array, meta: FrameMeta): DecodedPacket {
  const b = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  const p: Draft = {
    no: meta.no,
    ts: meta.ts,
    len: meta.len,
    caplen: b.length,
    src: "",
    dst: "",
    protocol: "Ethernet",
    info: `${meta.len} bytes`,
    layers: [
      {
        name: "Frame",
        fields: [field("Number", meta.no), field("Length on the wire", meta.len), field("Captured length", b.length)],
      },
    ],
  };
  if (b.length < 14) {
    p.info = "truncated Ethernet frame";
    return p;
  }
  let type = b.readUInt16BE(12);
  let at = 14;
  const eth = { src: mac(b, 6), dst: mac(b, 0), type };
  const ethLayer: PacketLayer = {
    name: "Ethernet II",
    fields: [field("Destination", eth.dst), field("Source", eth.src)],
  };
  if (type === ETHERTYPE_VLAN && b.length >= 18) {
    ethLayer.fields.push(field("VLAN", b.readUInt16BE(14) & 0x0fff));
    type = b.readUInt16BE(16);
    at = 18;
  }
  eth.type = type;
  ethLayer.fields.push(field("Type", hex(type, 4)));
  p.eth = eth;
  p.layers.push(ethLayer);
  p.src = eth.src;
  p.dst = eth.dst;
  p.info = `Ethernet type ${hex(type, 4)}`;
  if (type === ETHERTYPE_ARP) decodeArp(b, at, p);
  else if (type === ETHERTYPE_IPV4) decodeIpv4(b, at, p);
  else if (type === ETHERTYPE_IPV6) decodeIpv6(b, at, p);
  return p;
}

function decodeArp(b: Buffer, at: number, p: Draft) {
  p.protocol = "ARP";
  // Ethernet + IPv4 ARP only: hardware size 6, protocol size 4.
  if (b.length < at + 28 || b[at + 4] !== 6 || b[at + 5] !== 4) {
    p.info = "ARP (not Ethernet/IPv4, or truncated)";
    return;
  }
  const opcode = b.readUInt16BE(at + 6);
  const arp = {
    op: opcode === 1 ? "request" : opcode === 2 ? "reply" : `op ${opcode}`,
    senderMac: mac(b, at + 8),
    senderIp: ipv4(b, at + 14),
    targetMac: mac(b, at + 18),
    targetIp: ipv4(b, at + 24),
  };
  p.arp = arp;
  p.info =
    opcode === 1
      ? `Who has ${arp.targetIp}? Tell ${arp.senderIp}`
      : opcode === 2
        ? `${arp.senderIp} is at ${arp.senderMac}`
        : `ARP opcode ${opcode}`;
  p.layers.push({
    name: "Address Resolution Protocol",
    fields: [
      field("Opcode", `${arp.op} (${opcode})`),
      field("Sender MAC address", arp.senderMac),
      field("Sender IP address", arp.senderIp),
      field("Target MAC address", arp.targetMac),
      field("Target IP address", arp.targetIp),
    ],
  });
}

function decodeIpv4(b: Buffer, at: number, p: Draft) {
  p.protocol = "IPv4";
  if (b.length < at + 20 || b[at]! >> 4 !== 4) {
    p.info = "IPv4 (truncated or bad version)";
    return;
  }
  const ihl = (b[at]! & 0x0f) * 4;
  const totalLength = b.readUInt16BE(at + 2);
  const flagsFragment = b.readUInt16BE(at + 6);
  const fragmentOffset = (flagsFragment & 0x1fff) * 8;
  const moreFragments = (flagsFragment & 0x2000) !== 0;
  const ttl = b[at + 8]!;
  const protocol = b[at + 9]!;
  const ip = { src: ipv4(b, at + 12), dst: ipv4(b, at + 16), ttl, protocol };
  p.ipv4 = ip;
  p.src = ip.src;
  p.dst = ip.dst;
  p.info = `IPv4 protocol ${protocol}`;
  p.layers.push({
    name: "Internet Protocol Version 4",
    fields: [
      field("Header length", ihl),
      field("Total length", totalLength),
      field("Identification", hex(b.readUInt16BE(at + 4), 4)),
      field("Flags", [(flagsFragment & 0x4000) !== 0 ? "DF" : "", moreFragments ? "MF" : ""].filter(Boolean).join(",") || "none"),
      field("Fragment offset", fragmentOffset),
      field("Time to live", ttl),
      field("Protocol", protocol),
      field("Source", ip.src),
      field("Destination", ip.dst),
    ],
  });
  if (ihl < 20) return;
  if (fragmentOffset > 0) {
    p.info = `Fragmented IP protocol (proto=${protocol}, off=${fragmentOffset})`;
    return;
  }
  // The payload ends at the IP total length (Ethernet pads short frames), or at what was captured.
  const end = Math.min(b.length, at + Math.max(totalLength, ihl));
  const payload = b.subarray(at + ihl, end);
  if (protocol === IPPROTO_ICMP) decodeIcmp(payload, p);
  else if (protocol === IPPROTO_UDP) decodeUdp(payload, p);
  else if (protocol === IPPROTO_TCP) decodeTcp(payload, p);
}

function decodeIpv6(b: Buffer, at: number, p: Draft) {
  p.protocol = "IPv6";
  if (b.length < at + 40) {
    p.info = "IPv6 (truncated)";
    return;
  }
  p.src = ipv6(b, at + 8);
  p.dst = ipv6(b, at + 24);
  const next = b[at + 6]!;
  p.info = `IPv6 next header ${next}`;
  p.layers.push({
    name: "Internet Protocol Version 6",
    fields: [field("Next header", next), field("Hop limit", b[at + 7]!), field("Source", p.src), field("Destination", p.dst)],
  });
}

function decodeIcmp(b: Buffer, p: Draft) {
  p.protocol = "ICMP";
  if (b.length < 4) {
    p.info = "ICMP (truncated)";
    return;
  }
  const type = b[0]!;
  const code = b[1]!;
  const icmp: NonNullable<DecodedPacket["icmp"]> = { type, code, kind: ICMP_KINDS[type] ?? `type-${type}` };
  const fields = [field("Type", type), field("Code", code), field("Checksum", hex(b.readUInt16BE(2), 4))];
  let info = ICMP_INFO[type] ?? `ICMP type ${type} code ${code}`;
  if ((type === 0 || type === 8) && b.length >= 8) {
    icmp.id = b.readUInt16BE(4);
    icmp.seq = b.readUInt16BE(6);
    fields.push(field("Identifier", hex(icmp.id, 4)), field("Sequence number", icmp.seq));
    info += ` id=${hex(icmp.id, 4)}, seq=${icmp.seq}, ttl=${p.ipv4?.ttl ?? "?"}`;
  } else if (type === 3) {
    info += ` (${UNREACHABLE[code] ?? `code ${code}`})`;
  }
  p.icmp = icmp;
  p.info = info;
  p.layers.push({ name: "Internet Control Message Protocol", fields });
}

function decodeUdp(b: Buffer, p: Draft) {
  p.protocol = "UDP";
  if (b.length < 8) {
    p.info = "UDP (truncated)";
    return;
  }
  const udp = { srcPort: b.readUInt16BE(0), dstPort: b.readUInt16BE(2) };
  const length = b.readUInt16BE(4);
  p.udp = udp;
  p.info = `${udp.srcPort} → ${udp.dstPort} Len=${Math.max(0, length - 8)}`;
  p.layers.push({
    name: "User Datagram Protocol",
    fields: [field("Source port", udp.srcPort), field("Destination port", udp.dstPort), field("Length", length)],
  });
  const payload = b.subarray(8, Math.max(8, Math.min(b.length, length)));
  if (DNS_PORTS.has(udp.srcPort) || DNS_PORTS.has(udp.dstPort)) decodeDns(payload, p);
}

const TCP_FLAGS: [number, string][] = [
  [0x02, "SYN"],
  [0x10, "ACK"],
  [0x08, "PSH"],
  [0x01, "FIN"],
  [0x04, "RST"],
  [0x20, "URG"],
  [0x40, "ECE"],
  [0x80, "CWR"],
];

function decodeTcp(b: Buffer, p: Draft) {
  p.protocol = "TCP";
  if (b.length < 20) {
    p.info = "TCP (truncated)";
    return;
  }
  const srcPort = b.readUInt16BE(0);
  const dstPort = b.readUInt16BE(2);
  const seq = b.readUInt32BE(4);
  const ack = b.readUInt32BE(8);
  const offset = (b[12]! >> 4) * 4;
  const flagBits = b[13]!;
  const flags = TCP_FLAGS.filter(([bit]) => flagBits & bit).map(([, name]) => name);
  const window = b.readUInt16BE(14);
  const payload = offset >= 20 ? b.subarray(Math.min(offset, b.length)) : Buffer.alloc(0);
  p.tcp = { srcPort, dstPort, flags: flags.join(",") };
  p.info = `${srcPort} → ${dstPort} [${flags.join(", ")}] Seq=${seq} Ack=${ack} Win=${window} Len=${payload.length}`;
  p.layers.push({
    name: "Transmission Control Protocol",
    fields: [
      field("Source port", srcPort),
      field("Destination port", dstPort),
      field("Sequence number", seq),
      field("Acknowledgment number", ack),
      field("Header length", offset),
      field("Flags", `${hex(flagBits, 2)} (${flags.join(", ") || "none"})`),
      field("Window", window),
      field("Payload length", payload.length),
    ],
  });
  if (payload.length > 0) decodeHttp(payload, p);
}

function decodeHttp(b: Buffer, p: Draft) {
  const text = b.subarray(0, 4096).toString("latin1");
  const lineEnd = text.indexOf("\r\n");
  const startLine = lineEnd >= 0 ? text.slice(0, lineEnd) : "";
  if (!HTTP_METHODS.test(startLine) && !HTTP_STATUS.test(startLine)) return;
  const headers: [string, string][] = [];
  const headEnd = text.indexOf("\r\n\r\n");
  const lines = text.slice(lineEnd + 2, headEnd >= 0 ? headEnd : undefined).split("\r\n");
  for (const line of lines.slice(0, MAX_HTTP_HEADERS)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  p.protocol = "HTTP";
  p.http = { startLine, headers };
  p.info = startLine;
  p.layers.push({
    name: "Hypertext Transfer Protocol",
    fields: [field("Start line", startLine), ...headers.map(([name, value]) => field(name, value))],
  });
}

type DnsAnswer = { name: string; type: string; data?: unknown };

function dnsData(answer: DnsAnswer): string {
  const data = answer.data;
  if (data === undefined || data === null) return "";
  if (typeof data === "string" || typeof data === "number") return String(data);
  if (Buffer.isBuffer(data)) return data.toString("hex");
  if (Array.isArray(data)) return data.map((d) => (Buffer.isBuffer(d) ? d.toString("latin1") : String(d))).join(" ");
  return JSON.stringify(data, (_key, value: unknown) =>
    value && typeof value === "object" && (value as { type?: string }).type === "Buffer" ? "<bytes>" : value,
  );
}

function decodeDns(b: Buffer, p: Draft) {
  let decoded: dnsPacket.Packet;
  try {
    decoded = dnsPacket.decode(b);
  } catch {
    p.info += " (malformed DNS)";
    return;
  }
  const isResponse = ((decoded.flags ?? 0) & 0x8000) !== 0 || decoded.type === "response";
  const questions = (decoded.questions ?? []).map((q) => ({ name: q.name, type: String(q.type) }));
  const answers = ((decoded.answers ?? []) as DnsAnswer[]).map((a) => ({
    name: a.name,
    type: String(a.type),
    data: dnsData(a),
  }));
  const id = decoded.id ?? 0;
  p.protocol = "DNS";
  p.dns = { qr: isResponse ? "response" : "query", id, questions, answers };
  const asked = questions.map((q) => `${q.type} ${q.name}`).join(", ");
  const rcodeNumber = (decoded.flags ?? 0) & 0x000f;
  const rcode = isResponse && rcodeNumber !== 0 ? ` ${DNS_RCODES[rcodeNumber] ?? `RCODE${rcodeNumber}`}` : "";
  p.info = isResponse
    ? `Standard query response ${hex(id, 4)}${rcode} ${asked}${answers.map((a) => ` ${a.type} ${a.data}`).join("")}`
    : `Standard query ${hex(id, 4)} ${asked}`;
  p.layers.push({
    name: "Domain Name System",
    fields: [
      field("Transaction ID", hex(id, 4)),
      field("Kind", isResponse ? "response" : "query"),
      ...(rcode ? [field("Reply code", rcode.trim())] : []),
      ...questions.map((q) => field("Question", `${q.name} ${q.type}`)),
      ...answers.map((a) => field("Answer", `${a.name} ${a.type} ${a.data}`)),
    ],
  });
}
