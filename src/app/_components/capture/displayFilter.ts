// The capture list's display filter: a small Wireshark-like language, parsed into a predicate over
// decoded packets. Protocol names (eth, arp, ip, ipv6, icmp, udp, tcp, dns, http), field comparisons
// (ip.addr == 10.0.0.2, ip.src, ip.dst, eth.addr/src/dst == MAC, tcp.port/udp.port == 80, with
// == or != (eq, ne)), BPF-style `host ADDRESS` and `port N`, combined with and/or/not (&&, ||, !)
// and parentheses. Anything else is refused with one line saying what was wrong and what is accepted.
import type { DecodedPacket } from "~/protocol/terminalProtocol";

export const FILTER_ACCEPTS =
  "accepted: eth, arp, ip, ipv6, icmp, udp, tcp, dns, http; ip.addr, ip.src, ip.dst == A.B.C.D; eth.addr, eth.src, eth.dst == MAC; " +
  "tcp.port, udp.port == N; host A.B.C.D or MAC; port N; joined with and, or, not (&&, ||, !) and parentheses";

export type PacketTest = (packet: DecodedPacket) => boolean;
export type ParsedFilter = { ok: true; test: PacketTest } | { ok: false; error: string };

const PROTOCOLS: Record<string, PacketTest> = {
  eth: (p) => p.eth !== undefined,
  arp: (p) => p.arp !== undefined,
  ip: (p) => p.ipv4 !== undefined,
  ipv6: (p) => p.protocol === "IPv6" || p.layers.some((l) => l.name === "Internet Protocol Version 6"),
  icmp: (p) => p.icmp !== undefined,
  udp: (p) => p.udp !== undefined,
  tcp: (p) => p.tcp !== undefined,
  dns: (p) => p.dns !== undefined,
  http: (p) => p.http !== undefined,
};

type Kind = "ip" | "mac" | "port";
const FIELDS: Record<string, { kind: Kind; values: (p: DecodedPacket) => (string | number | undefined)[] }> = {
  "ip.addr": { kind: "ip", values: (p) => [p.ipv4?.src, p.ipv4?.dst] },
  "ip.src": { kind: "ip", values: (p) => [p.ipv4?.src] },
  "ip.dst": { kind: "ip", values: (p) => [p.ipv4?.dst] },
  "eth.addr": { kind: "mac", values: (p) => [p.eth?.src, p.eth?.dst] },
  "eth.src": { kind: "mac", values: (p) => [p.eth?.src] },
  "eth.dst": { kind: "mac", values: (p) => [p.eth?.dst] },
  "tcp.port": { kind: "port", values: (p) => [p.tcp?.srcPort, p.tcp?.dstPort] },
  "udp.port": { kind: "port", values: (p) => [p.udp?.srcPort, p.udp?.dstPort] },
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const PORT = /^\d{1,5}$/;

/** A value of `kind` as written, normalised for comparison; null when it is not one. */
function valueOf(kind: Kind, word: string): string | number | null {
  if (kind === "ip") return IPV4.test(word) ? word : null;
  if (kind === "mac") return MAC.test(word) ? word.toLowerCase() : null;
  const n = Number(word);
  return PORT.test(word) && n <= 65535 ? n : null;
}
const KIND_WORDS: Record<Kind, string> = {
  ip: "an IPv4 address (A.B.C.D)",
  mac: "a MAC address (aa:bb:cc:dd:ee:ff)",
  port: "a port (0-65535)",
};

type Token = { text: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(==|!=|&&|\|\||!|\(|\)|[^\s()!=&|]+|\S)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[1] !== undefined) tokens.push({ text: m[1], at: m.index + m[0].length - m[1].length + 1 });
  return tokens;
}

class FilterError extends Error {}

/** Parses `text`; an empty filter shows every packet. */
export function parseFilter(text: string): ParsedFilter {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { ok: true, test: () => true };
  let i = 0;
  const peek = () => tokens[i];
  const word = (t: Token | undefined) => t?.text.toLowerCase();
  const fail = (what: string): never => {
    throw new FilterError(what);
  };
  const where = (t: Token | undefined) => (t ? `"${t.text}" at column ${t.at}` : "the end of the filter");

  const orExpr = (): PacketTest => {
    let left = andExpr();
    while (word(peek()) === "or" || word(peek()) === "||") {
      i++;
      const a = left;
      const b = andExpr();
      left = (p) => a(p) || b(p);
    }
    return left;
  };
  const andExpr = (): PacketTest => {
    let left = notExpr();
    while (word(peek()) === "and" || word(peek()) === "&&") {
      i++;
      const a = left;
      const b = notExpr();
      left = (p) => a(p) && b(p);
    }
    return left;
  };
  const notExpr = (): PacketTest => {
    if (word(peek()) === "not" || word(peek()) === "!") {
      i++;
      const inner = notExpr();
      return (p) => !inner(p);
    }
    return primary();
  };
  const operand = (kind: Kind, after: string): string | number => {
    const t = tokens[i++];
    if (!t) return fail(`${after} needs ${KIND_WORDS[kind]} after it`);
    const v = valueOf(kind, t.text);
    return v ?? fail(`${where(t)} is not ${KIND_WORDS[kind]}`);
  };
  const primary = (): PacketTest => {
    const t = tokens[i++];
    const w = word(t);
    if (!t || w === undefined) return fail("the filter ends too early: a protocol, field or address is missing");
    if (w === "(") {
      const inner = orExpr();
      if (peek()?.text !== ")") fail(`expected ")" at ${where(peek())}`);
      i++;
      return inner;
    }
    const protocol = PROTOCOLS[w];
    if (protocol) return protocol;
    const field = FIELDS[w];
    if (field) {
      const op = word(tokens[i++]);
      const equal = op === "==" || op === "eq";
      if (!equal && op !== "!=" && op !== "ne") fail(`${t.text} needs == or != and a value, not ${where(tokens[i - 1])}`);
      const v = operand(field.kind, t.text);
      return equal ? (p) => field.values(p).includes(v) : (p) => !field.values(p).includes(v);
    }
    if (w === "host") {
      const next = tokens[i++];
      if (next && IPV4.test(next.text)) {
        const ip = next.text;
        return (p) => [p.ipv4?.src, p.ipv4?.dst, p.arp?.senderIp, p.arp?.targetIp].includes(ip);
      }
      if (next && MAC.test(next.text)) {
        const mac = next.text.toLowerCase();
        return (p) => [p.eth?.src, p.eth?.dst].includes(mac);
      }
      return fail(`host needs an IPv4 address (A.B.C.D) or a MAC address, not ${where(next)}`);
    }
    if (w === "port") {
      const v = operand("port", "port");
      return (p) => [p.tcp?.srcPort, p.tcp?.dstPort, p.udp?.srcPort, p.udp?.dstPort].includes(v as number);
    }
    return fail(`unknown ${where(t)}`);
  };

  try {
    const test = orExpr();
    if (i < tokens.length) fail(`unexpected ${where(tokens[i])} (join terms with and/or)`);
    return { ok: true, test };
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    return { ok: false, error: `${error.message}; ${FILTER_ACCEPTS}` };
  }
}
