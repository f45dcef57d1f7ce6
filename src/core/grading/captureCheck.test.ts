// Capture checks over hand-made packets: each expectation passes on the traffic it names, fails on
// traffic between other addresses, and says what was seen instead.
import { describe, expect, it } from "vitest";
import { type CaptureCheck, checkSchema } from "~/core/labs/schema";
import { captureTargets, containersOfCapture, evaluateCapture, type WirePacket } from "./captureCheck";

const base = { id: "c", description: "seen", points: 1, failure: "not seen", hints: [] };
const capture = (expect: object, on = { container: "busybox2", interface: "eth0" }) =>
  checkSchema.parse({ ...base, kind: "capture", on, expect }) as CaptureCheck;

const ADDRESSES: Record<string, string[]> = {
  busybox1: ["10.1.0.2"],
  busybox2: ["10.1.0.3"],
  dns: ["10.1.255.253"],
  host: ["10.1.0.1", "192.168.65.3"],
};
const addresses = (end: string) => (end === "@labdns" ? ADDRESSES.dns! : (ADDRESSES[end] ?? (/^\d/.test(end) ? [end] : [])));

const S = 1_000_000;
const echo = (kind: string, src: string, dst: string, seq: number, ts: number): WirePacket => ({
  ts,
  protocol: "ICMP",
  ipv4: { src, dst },
  icmp: { kind, id: 7, seq },
});
const arp = (op: string, senderIp: string, targetIp: string): WirePacket => ({
  ts: S,
  protocol: "ARP",
  arp: { op, senderIp, targetIp },
});
const dns = (qr: "query" | "response", name: string, src: string, dst: string): WirePacket => ({
  ts: S,
  protocol: "DNS",
  ipv4: { src, dst },
  dns: { qr, questions: [{ name }] },
});
const http = (startLine: string): WirePacket => ({
  ts: S,
  protocol: "HTTP",
  ipv4: { src: "10.1.0.2", dst: "10.1.0.3" },
  http: { startLine },
});

const detail = (v: ReturnType<typeof evaluateCapture>) => (v.passed ? "passed" : v.detail);

describe("capture checks", () => {
  const request = capture({ icmp: "echo-request", from: "busybox1", to: "busybox2" });

  it("icmp: an echo request between the named containers' addresses passes; other addresses fail, saying what was seen", () => {
    expect(
      evaluateCapture(
        request,
        [arp("request", "10.1.0.2", "10.1.0.3"), echo("echo-request", "10.1.0.2", "10.1.0.3", 1, S)],
        addresses,
      ),
    ).toEqual({
      passed: true,
    });
    expect(
      detail(
        evaluateCapture(
          request,
          [
            arp("request", "10.1.0.2", "10.1.0.3"),
            arp("reply", "10.1.0.3", "10.1.0.2"),
            echo("echo-request", "10.1.0.9", "10.1.0.3", 1, S),
          ],
          addresses,
        ),
      ),
    ).toBe(
      "no ICMP echo request from busybox1 (10.1.0.2) to busybox2 (10.1.0.3) on busybox2's eth0 in the last 60 s; saw 2 ARP, 1 ICMP (echo-request 10.1.0.9 → 10.1.0.3)",
    );
    // A reply is not a request.
    expect(evaluateCapture(request, [echo("echo-reply", "10.1.0.2", "10.1.0.3", 1, S)], addresses).passed).toBe(false);
  });

  it("says when nothing was captured, and when the interface is not watched yet", () => {
    expect(detail(evaluateCapture(request, [], addresses))).toMatch(/in the last 60 s; saw no packets$/);
    expect(detail(evaluateCapture(request, undefined, addresses))).toMatch(
      /^nothing is captured on busybox2's eth0: the lab watches it while busybox2 runs with that interface/,
    );
  });

  it("a name without an address matches nothing, and says so", () => {
    const none = capture({ icmp: "echo-request", from: "ghost", to: "busybox2" });
    expect(detail(evaluateCapture(none, [echo("echo-request", "10.1.0.2", "10.1.0.3", 1, S)], addresses))).toMatch(
      /from ghost \(no IPv4 address\)/,
    );
  });

  it("minRttMs: some reply came at least that long after its own request (same id and sequence, the other way)", () => {
    const slow = capture({ icmp: "echo-reply", from: "busybox2", to: "busybox1", minRttMs: 150 });
    const fast = [echo("echo-request", "10.1.0.2", "10.1.0.3", 1, S), echo("echo-reply", "10.1.0.3", "10.1.0.2", 1, S + 400)];
    expect(detail(evaluateCapture(slow, fast, addresses))).toBe(
      "every ICMP echo reply from busybox2 (10.1.0.3) to busybox1 (10.1.0.2) on busybox2's eth0 came back within 0 ms of its request (1 seen), not 150 ms or more",
    );
    const delayed = [
      ...fast,
      echo("echo-request", "10.1.0.2", "10.1.0.3", 2, 2 * S),
      echo("echo-reply", "10.1.0.3", "10.1.0.2", 2, 2 * S + 201_000),
    ];
    expect(evaluateCapture(slow, delayed, addresses)).toEqual({ passed: true });
    // A late reply to another sequence's request does not count.
    const mismatched = [echo("echo-request", "10.1.0.2", "10.1.0.3", 1, S), echo("echo-reply", "10.1.0.3", "10.1.0.2", 2, 3 * S)];
    expect(detail(evaluateCapture(slow, mismatched, addresses))).toMatch(/none with its request in the last 60 s$/);
  });

  it("refuses minRttMs on a request", () => {
    expect(
      checkSchema.safeParse({
        ...base,
        kind: "capture",
        on: { container: "b", interface: "eth0" },
        expect: { icmp: "echo-request", from: "a", to: "b", minRttMs: 5 },
      }).success,
    ).toBe(false);
  });

  it("arp: a request for the address (who has it?) or a reply from it", () => {
    const who = capture({ arp: "request", for: "busybox2" });
    expect(evaluateCapture(who, [arp("request", "10.1.0.2", "10.1.0.3")], addresses)).toEqual({ passed: true });
    expect(detail(evaluateCapture(who, [arp("request", "10.1.0.3", "10.1.0.2")], addresses))).toBe(
      "no ARP request for busybox2 (10.1.0.3) on busybox2's eth0 in the last 60 s; saw 1 ARP (request for 10.1.0.2)",
    );
    const is = capture({ arp: "reply", for: "10.1.0.3" });
    expect(evaluateCapture(is, [arp("reply", "10.1.0.3", "10.1.0.2")], addresses)).toEqual({ passed: true });
    expect(evaluateCapture(is, [arp("request", "10.1.0.3", "10.1.0.2")], addresses).passed).toBe(false);
  });

  it("dns: a query for the name (to the end named), or a response (from it); names compare without case or the final dot", () => {
    const toLabDns = capture({ dns: "query", name: "www.lab.example", to: "@labdns" }, { container: "dns", interface: "eth0" });
    expect(evaluateCapture(toLabDns, [dns("query", "WWW.lab.example.", "10.1.0.2", "10.1.255.253")], addresses)).toEqual({
      passed: true,
    });
    expect(detail(evaluateCapture(toLabDns, [dns("query", "www.lab.example", "10.1.0.2", "10.1.0.1")], addresses))).toBe(
      "no DNS query for www.lab.example to the lab DNS (10.1.255.253) on dns's eth0 in the last 60 s; saw 1 DNS (query for www.lab.example 10.1.0.2 → 10.1.0.1)",
    );
    const answered = capture({ dns: "response", name: "www.lab.example", to: "host" });
    expect(evaluateCapture(answered, [dns("response", "www.lab.example", "10.1.0.1", "10.1.0.2")], addresses)).toEqual({
      passed: true,
    });
    expect(evaluateCapture(answered, [dns("query", "www.lab.example", "10.1.0.2", "10.1.0.1")], addresses).passed).toBe(false);
    const anyone = capture({ dns: "query", name: "www.lab.example" });
    expect(evaluateCapture(anyone, [dns("query", "www.lab.example", "10.1.0.2", "10.9.9.9")], addresses)).toEqual({
      passed: true,
    });
  });

  it("http: a request (for the path) or a response", () => {
    const get = capture({ http: "request", path: "/big" });
    expect(evaluateCapture(get, [http("GET /big HTTP/1.1")], addresses)).toEqual({ passed: true });
    expect(detail(evaluateCapture(get, [http("GET /small HTTP/1.1"), http("HTTP/1.1 200 OK")], addresses))).toBe(
      "no HTTP request for /big on busybox2's eth0 in the last 60 s; saw 2 HTTP (GET /small HTTP/1.1; HTTP/1.1 200 OK)",
    );
    expect(evaluateCapture(capture({ http: "response" }), [http("HTTP/1.0 200 OK")], addresses)).toEqual({ passed: true });
    expect(evaluateCapture(capture({ http: "response" }), [http("GET / HTTP/1.0")], addresses).passed).toBe(false);
  });

  it("names the containers whose addresses it needs, the interface's first, and the interfaces a lab watches once each", () => {
    expect(containersOfCapture(capture({ icmp: "echo-request", from: "busybox1", to: "10.1.0.3" }))).toEqual([
      "busybox2",
      "busybox1",
    ]);
    expect(
      containersOfCapture(
        capture({ dns: "query", name: "x.example", to: "@labdns" }, { container: "host", interface: "docker0" }),
      ),
    ).toEqual(["host", "dns"]);
    const a = capture({ arp: "request", for: "busybox2" });
    const b = capture({ icmp: "echo-request", from: "busybox1", to: "busybox2" }, { container: "busybox1", interface: "eth0" });
    expect(captureTargets([a, b, a, { kind: "output" }])).toEqual([
      { container: "busybox2", iface: "eth0" },
      { container: "busybox1", iface: "eth0" },
    ]);
  });

  it("refuses interface names and paths that are not plain", () => {
    for (const iface of ["../eth0", "eth0 x", "a".repeat(16), "..", "eth0;id"])
      expect(
        checkSchema.safeParse({
          ...base,
          kind: "capture",
          on: { container: "b", interface: iface },
          expect: { arp: "request", for: "b" },
        }).success,
        iface,
      ).toBe(false);
    expect(
      checkSchema.safeParse({
        ...base,
        kind: "capture",
        on: { container: "b", interface: "eth0" },
        expect: { http: "request", path: "/a b" },
      }).success,
    ).toBe(false);
    expect(
      checkSchema.safeParse({ ...base, kind: "capture", on: { container: "b", interface: "eth0" }, expect: { tcp: "syn" } })
        .success,
    ).toBe(false);
  });
});
