import dnsPacket from "dns-packet";
import { describe, expect, it } from "vitest";
import { decodeFrame } from "./decode";
import { ethernet, icmpEcho, ipv4Packet, tcpSegment, udpDatagram } from "./testFrames";

const MAC1 = "02:42:0a:00:00:02";
const MAC2 = "02:42:0a:00:00:03";
const meta = (frame: Uint8Array) => ({ no: 1, ts: 1_700_000_000_000_000, len: frame.length });

describe("decodeFrame", () => {
  it("decodes an ARP request and reply", () => {
    const arp = (op: number, senderMac: string, senderIp: string, targetMac: string, targetIp: string) => {
      const b = Buffer.alloc(28);
      b.writeUInt16BE(1, 0);
      b.writeUInt16BE(0x0800, 2);
      b[4] = 6;
      b[5] = 4;
      b.writeUInt16BE(op, 6);
      Buffer.from(senderMac.split(":").map((x) => parseInt(x, 16))).copy(b, 8);
      Buffer.from(senderIp.split(".").map(Number)).copy(b, 14);
      Buffer.from(targetMac.split(":").map((x) => parseInt(x, 16))).copy(b, 18);
      Buffer.from(targetIp.split(".").map(Number)).copy(b, 24);
      return b;
    };
    const request = ethernet("ff:ff:ff:ff:ff:ff", MAC1, 0x0806, arp(1, MAC1, "10.0.0.2", "00:00:00:00:00:00", "10.0.0.3"));
    const p = decodeFrame(request, meta(request));
    expect(p.protocol).toBe("ARP");
    expect(p.info).toBe("Who has 10.0.0.3? Tell 10.0.0.2");
    expect(p.arp).toEqual({
      op: "request",
      senderMac: MAC1,
      senderIp: "10.0.0.2",
      targetMac: "00:00:00:00:00:00",
      targetIp: "10.0.0.3",
    });
    expect(p.src).toBe(MAC1);
    expect(p.dst).toBe("ff:ff:ff:ff:ff:ff");
    const reply = ethernet(MAC1, MAC2, 0x0806, arp(2, MAC2, "10.0.0.3", MAC1, "10.0.0.2"));
    const r = decodeFrame(reply, meta(reply));
    expect(r.info).toBe(`10.0.0.3 is at ${MAC2}`);
    expect(r.arp?.op).toBe("reply");
  });

  it("decodes an ICMP echo request and reply with id, seq and ttl", () => {
    const frame = ethernet(MAC2, MAC1, 0x0800, ipv4Packet("10.0.0.2", "10.0.0.3", 1, icmpEcho(8, 0x1234, 7), 64));
    const p = decodeFrame(frame, meta(frame));
    expect(p.protocol).toBe("ICMP");
    expect(p.src).toBe("10.0.0.2");
    expect(p.dst).toBe("10.0.0.3");
    expect(p.ipv4).toEqual({ src: "10.0.0.2", dst: "10.0.0.3", ttl: 64, protocol: 1 });
    expect(p.icmp).toEqual({ type: 8, code: 0, kind: "echo-request", id: 0x1234, seq: 7 });
    expect(p.info).toBe("Echo (ping) request id=0x1234, seq=7, ttl=64");
    expect(p.layers.map((l) => l.name)).toEqual([
      "Frame",
      "Ethernet II",
      "Internet Protocol Version 4",
      "Internet Control Message Protocol",
    ]);
    const reply = ethernet(MAC1, MAC2, 0x0800, ipv4Packet("10.0.0.3", "10.0.0.2", 1, icmpEcho(0, 0x1234, 7)));
    expect(decodeFrame(reply, meta(reply)).icmp?.kind).toBe("echo-reply");
  });

  it("decodes a DNS query and its response", () => {
    const query = dnsPacket.encode({
      type: "query",
      id: 0xbeef,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: "A", name: "www.lab.example" }],
    });
    const frame = ethernet(MAC2, MAC1, 0x0800, ipv4Packet("10.0.0.2", "10.0.0.1", 17, udpDatagram(40000, 53, query)));
    const q = decodeFrame(frame, meta(frame));
    expect(q.protocol).toBe("DNS");
    expect(q.udp).toEqual({ srcPort: 40000, dstPort: 53 });
    expect(q.dns).toEqual({ qr: "query", id: 0xbeef, questions: [{ name: "www.lab.example", type: "A" }], answers: [] });
    expect(q.info).toBe("Standard query 0xbeef A www.lab.example");
    const response = dnsPacket.encode({
      type: "response",
      id: 0xbeef,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: [{ type: "A", name: "www.lab.example" }],
      answers: [{ type: "A", name: "www.lab.example", ttl: 60, data: "10.0.0.9" }],
    });
    const back = ethernet(MAC1, MAC2, 0x0800, ipv4Packet("10.0.0.1", "10.0.0.2", 17, udpDatagram(53, 40000, response)));
    const r = decodeFrame(back, meta(back));
    expect(r.dns?.qr).toBe("response");
    expect(r.dns?.answers).toEqual([{ name: "www.lab.example", type: "A", data: "10.0.0.9" }]);
    expect(r.info).toBe("Standard query response 0xbeef A www.lab.example A 10.0.0.9");
  });

  it("keeps a malformed DNS payload as UDP with a note", () => {
    const frame = ethernet(
      MAC2,
      MAC1,
      0x0800,
      ipv4Packet("10.0.0.2", "10.0.0.1", 17, udpDatagram(1, 53, Buffer.from([1, 2, 3]))),
    );
    const p = decodeFrame(frame, meta(frame));
    expect(p.protocol).toBe("UDP");
    expect(p.info).toContain("malformed DNS");
  });

  it("decodes TCP flags and an HTTP request and response", () => {
    const syn = ethernet(MAC2, MAC1, 0x0800, ipv4Packet("10.0.0.2", "10.0.0.3", 6, tcpSegment(41000, 80, 0x02, Buffer.alloc(0))));
    const s = decodeFrame(syn, meta(syn));
    expect(s.protocol).toBe("TCP");
    expect(s.tcp).toEqual({ srcPort: 41000, dstPort: 80, flags: "SYN" });
    const get = Buffer.from("GET /index.html HTTP/1.1\r\nHost: web\r\nUser-Agent: Wget\r\n\r\n");
    const req = ethernet(MAC2, MAC1, 0x0800, ipv4Packet("10.0.0.2", "10.0.0.3", 6, tcpSegment(41000, 80, 0x18, get)));
    const h = decodeFrame(req, meta(req));
    expect(h.protocol).toBe("HTTP");
    expect(h.tcp?.flags).toBe("ACK,PSH");
    expect(h.http).toEqual({
      startLine: "GET /index.html HTTP/1.1",
      headers: [
        ["Host", "web"],
        ["User-Agent", "Wget"],
      ],
    });
    expect(h.info).toBe("GET /index.html HTTP/1.1");
    const ok = Buffer.from("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    const res = ethernet(MAC1, MAC2, 0x0800, ipv4Packet("10.0.0.3", "10.0.0.2", 6, tcpSegment(80, 41000, 0x18, ok)));
    expect(decodeFrame(res, meta(res)).http?.startLine).toBe("HTTP/1.0 200 OK");
    const data = ethernet(
      MAC1,
      MAC2,
      0x0800,
      ipv4Packet("10.0.0.3", "10.0.0.2", 6, tcpSegment(80, 41000, 0x18, Buffer.from("hello"))),
    );
    expect(decodeFrame(data, meta(data)).protocol).toBe("TCP");
  });

  it("ignores Ethernet padding beyond the IP total length", () => {
    const icmp = Buffer.alloc(8);
    icmp[0] = 8;
    const ip = ipv4Packet("10.0.0.2", "10.0.0.3", 1, icmp);
    const frame = ethernet(MAC2, MAC1, 0x0800, Buffer.concat([ip, Buffer.alloc(18, 0xaa)]));
    const p = decodeFrame(frame, meta(frame));
    expect(p.icmp?.kind).toBe("echo-request");
  });

  it("never throws on truncated or garbage frames", () => {
    const full = ethernet(MAC2, MAC1, 0x0800, ipv4Packet("10.0.0.2", "10.0.0.1", 17, udpDatagram(1, 53, Buffer.alloc(12))));
    for (let cut = 0; cut <= full.length; cut++) {
      const part = full.subarray(0, cut);
      const p = decodeFrame(part, { no: 1, ts: 0, len: full.length });
      expect(p.caplen).toBe(cut);
      expect(typeof p.info).toBe("string");
    }
    for (let i = 0; i < 200; i++) {
      const junk = Buffer.from(Array.from({ length: (i % 90) + 1 }, (_, k) => (k * 31 + i * 7) & 0xff));
      expect(() => decodeFrame(junk, meta(junk))).not.toThrow();
    }
  });

  it("reports a fragment without decoding its payload as a transport header", () => {
    const ip = ipv4Packet("10.0.0.2", "10.0.0.3", 17, Buffer.alloc(16));
    ip.writeUInt16BE(0x0002, 6); // offset 16 bytes
    const frame = ethernet(MAC2, MAC1, 0x0800, ip);
    const p = decodeFrame(frame, meta(frame));
    expect(p.protocol).toBe("IPv4");
    expect(p.udp).toBeUndefined();
    expect(p.info).toContain("Fragmented");
  });
});

describe("decodeFrame DNS errors", () => {
  it("names a response's error code", () => {
    const response = dnsPacket.encode({
      type: "response",
      id: 1,
      flags: 3, // NXDOMAIN
      questions: [{ type: "A", name: "nope.lab.example" }],
    });
    const frame = ethernet(
      "02:00:00:00:00:01",
      "02:00:00:00:00:02",
      0x0800,
      ipv4Packet("10.0.0.1", "10.0.0.2", 17, udpDatagram(53, 1234, response)),
    );
    const p = decodeFrame(frame, { no: 1, ts: 0, len: frame.length });
    expect(p.info).toBe("Standard query response 0x0001 NXDOMAIN A nope.lab.example");
  });
});
