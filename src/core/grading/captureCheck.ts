// A capture check, evaluated: does the last minute of packets on one interface (the worker's rolling
// capture, decoded by src/core/capture) hold what the lab expects, between the addresses its names
// have now? Pure: the packets and the ends' addresses come in; a verdict and, when it fails, what was
// seen instead come out.
import type { CaptureCheck, CaptureExpect } from "~/core/labs/schema";
import { LAB_DNS_ADDRESS } from "~/core/labs/schema";
import { captureEnds, endContainer } from "~/core/labs/mentions";
import type { DecodedPacket } from "~/protocol/terminalProtocol";

type Facts<T, K extends keyof NonNullable<T>> = Pick<NonNullable<T>, K>;

/** What a capture check reads of a decoded packet (src/core/capture/decode.ts): `ts` in µs since the epoch. */
export type WirePacket = Pick<DecodedPacket, "ts" | "protocol"> & {
  ipv4?: Facts<DecodedPacket["ipv4"], "src" | "dst">;
  icmp?: Facts<DecodedPacket["icmp"], "kind" | "id" | "seq">;
  arp?: Facts<DecodedPacket["arp"], "op" | "senderIp" | "targetIp">;
  dns?: Facts<DecodedPacket["dns"], "qr"> & { questions: { name: string }[] };
  http?: Facts<DecodedPacket["http"], "startLine">;
};

/** A step's packets, by captureKey: each watched interface's last minute (absent: not captured). */
export type CaptureSnapshot = Record<string, WirePacket[]>;

/** How long a rolling capture keeps packets (the window the messages speak of). */
export const CAPTURE_WINDOW_SECONDS = 60;

/** The key of a rolling capture: one interface of one container of a session. */
export function captureKey(on: { container: string; interface: string }): string {
  return `${on.container}/${on.interface}`;
}

/** The (container, interface) pairs a lab's capture checks watch, each once. */
export function captureTargets(checks: readonly { kind: string }[]): { container: string; iface: string }[] {
  const seen = new Map<string, { container: string; iface: string }>();
  for (const check of checks) {
    if (check.kind !== "capture") continue;
    const { on } = check as CaptureCheck;
    seen.set(captureKey(on), { container: on.container, iface: on.interface });
  }
  return [...seen.values()];
}

/** The containers whose addresses a capture check needs (the interface's own first: it must be running). */
export function containersOfCapture(check: CaptureCheck): string[] {
  const names = captureEnds(check.expect).flatMap(({ end }) => {
    const container = endContainer(end);
    return container === undefined ? [] : [container];
  });
  return [...new Set([check.on.container, ...names])];
}

/** The IPv4 addresses each end has now (an address is its own; a container's, from the session). */
export type EndAddresses = (end: string) => string[];

export type CaptureVerdict = { passed: true } | { passed: false; detail: string };

const ms = (us: number) => Math.round(us / 1000);
const normalName = (name: string) => name.toLowerCase().replace(/\.$/, "");

/** An end in words: busybox1 (10.1.0.2), 10.1.0.9, the lab DNS (10.1.255.253). */
function endWords(end: string, addresses: EndAddresses): string {
  const container = endContainer(end);
  if (container === undefined) return end;
  const list = addresses(end);
  const label = end === LAB_DNS_ADDRESS ? "the lab DNS" : end;
  return list.length ? `${label} (${list.join(", ")})` : `${label} (no IPv4 address)`;
}

/** "3 ARP, 6 ICMP", or "no packets". */
function seenWords(packets: readonly WirePacket[]): string {
  if (packets.length === 0) return "no packets";
  const counts = new Map<string, number>();
  for (const p of packets) counts.set(p.protocol, (counts.get(p.protocol) ?? 0) + 1);
  return [...counts].map(([protocol, n]) => `${n} ${protocol}`).join(", ");
}

/** Up to three distinct examples, for a message. */
function examples(items: string[]): string {
  const distinct = [...new Set(items)];
  return distinct.slice(0, 3).join("; ") + (distinct.length > 3 ? `; and ${distinct.length - 3} more` : "");
}

function what(expect: CaptureExpect, addresses: EndAddresses): string {
  if ("icmp" in expect)
    return `ICMP echo ${expect.icmp === "echo-request" ? "request" : "reply"} from ${endWords(expect.from, addresses)} to ${endWords(expect.to, addresses)}`;
  if ("arp" in expect) return `ARP ${expect.arp} for ${endWords(expect.for, addresses)}`;
  if ("dns" in expect)
    return `DNS ${expect.dns} for ${expect.name}${expect.to ? ` ${expect.dns === "query" ? "to" : "from"} ${endWords(expect.to, addresses)}` : ""}`;
  return `HTTP ${expect.http}${expect.path ? ` for ${expect.path}` : ""}`;
}

/** An HTTP request line's path, or undefined for anything else. */
function requestPath(startLine: string): string | undefined {
  return /^[A-Z]+ (\S+) HTTP\/\d/.exec(startLine)?.[1];
}

/**
 * Whether the packets of `check.on` hold what the check expects. `packets` undefined: no rolling
 * capture runs there (the container is new, or its interface is not there).
 */
export function evaluateCapture(
  check: CaptureCheck,
  packets: readonly WirePacket[] | undefined,
  addresses: EndAddresses,
): CaptureVerdict {
  const { expect } = check;
  const where = `on ${check.on.container}'s ${check.on.interface}`;
  if (packets === undefined)
    return {
      passed: false,
      detail: `nothing is captured ${where}: the lab watches it while ${check.on.container} runs with that interface; send the traffic again`,
    };
  const among = (end: string | undefined, address: string | undefined) =>
    end === undefined || (address !== undefined && addresses(end).includes(address));
  const missing = (extra?: string) => ({
    passed: false as const,
    detail: `no ${what(expect, addresses)} ${where} in the last ${CAPTURE_WINDOW_SECONDS} s; saw ${seenWords(packets)}${extra ? ` (${extra})` : ""}`,
  });

  if ("icmp" in expect) {
    const echoes = packets.filter((p) => p.icmp && p.ipv4);
    const matching = echoes.filter(
      (p) => p.icmp!.kind === expect.icmp && among(expect.from, p.ipv4!.src) && among(expect.to, p.ipv4!.dst),
    );
    const seen = () => examples(echoes.map((p) => `${p.icmp!.kind} ${p.ipv4!.src} → ${p.ipv4!.dst}`));
    if (matching.length === 0) return missing(echoes.length ? seen() : undefined);
    if (expect.minRttMs === undefined) return { passed: true };
    // A reply's round trip: from its request (same id and sequence, the other way) to it.
    const rtts = matching.flatMap((reply) => {
      const request = echoes.findLast(
        (p) =>
          p.ts <= reply.ts &&
          p.icmp!.kind === "echo-request" &&
          p.icmp!.id === reply.icmp!.id &&
          p.icmp!.seq === reply.icmp!.seq &&
          p.ipv4!.src === reply.ipv4!.dst &&
          p.ipv4!.dst === reply.ipv4!.src,
      );
      return request ? [reply.ts - request.ts] : [];
    });
    const minUs = expect.minRttMs * 1000;
    if (rtts.some((rtt) => rtt >= minUs)) return { passed: true };
    return {
      passed: false,
      detail: rtts.length
        ? `every ${what(expect, addresses)} ${where} came back within ${ms(Math.max(...rtts))} ms of its request (${rtts.length} seen), not ${expect.minRttMs} ms or more`
        : `${matching.length} ${what(expect, addresses)} ${where}, none with its request in the last ${CAPTURE_WINDOW_SECONDS} s`,
    };
  }

  if ("arp" in expect) {
    const arps = packets.filter((p) => p.arp);
    const found = arps.some((p) =>
      expect.arp === "request"
        ? p.arp!.op === "request" && among(expect.for, p.arp!.targetIp)
        : p.arp!.op === "reply" && among(expect.for, p.arp!.senderIp),
    );
    if (found) return { passed: true };
    return missing(
      arps.length
        ? examples(arps.map((p) => `${p.arp!.op} for ${p.arp!.op === "request" ? p.arp!.targetIp : p.arp!.senderIp}`))
        : undefined,
    );
  }

  if ("dns" in expect) {
    const dns = packets.filter((p) => p.dns);
    const name = normalName(expect.name);
    const found = dns.some((p) => {
      if (p.dns!.qr !== expect.dns || !p.dns!.questions.some((q) => normalName(q.name) === name)) return false;
      // A query goes to the end; a response comes from it.
      return among(expect.to, expect.dns === "query" ? p.ipv4?.dst : p.ipv4?.src);
    });
    if (found) return { passed: true };
    return missing(
      dns.length
        ? examples(
            dns.map(
              (p) =>
                `${p.dns!.qr} for ${p.dns!.questions.map((q) => normalName(q.name)).join(",") || "nothing"} ${p.ipv4?.src ?? "?"} → ${p.ipv4?.dst ?? "?"}`,
            ),
          )
        : undefined,
    );
  }

  const http = packets.filter((p) => p.http);
  const found = http.some((p) => {
    const line = p.http!.startLine;
    if (expect.http === "response") return line.startsWith("HTTP/");
    const path = requestPath(line);
    return path !== undefined && (expect.path === undefined || path === expect.path);
  });
  if (found) return { passed: true };
  return missing(http.length ? examples(http.map((p) => p.http!.startLine.slice(0, 80))) : undefined);
}
