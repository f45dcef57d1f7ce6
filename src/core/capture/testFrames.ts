// Hand-made frames for tests (the decoder's, the capture checks'): Ethernet II carrying IPv4 with
// ICMP, UDP or TCP, checksums left zero (the decoder does not verify them).

const macBytes = (mac: string) => Buffer.from(mac.split(":").map((x) => parseInt(x, 16)));
const ipBytes = (ip: string) => Buffer.from(ip.split(".").map(Number));

export function ethernet(dst: string, src: string, type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(14);
  macBytes(dst).copy(header, 0);
  macBytes(src).copy(header, 6);
  header.writeUInt16BE(type, 12);
  return Buffer.concat([header, payload]);
}

export function ipv4Packet(src: string, dst: string, protocol: number, payload: Buffer, ttl = 64): Buffer {
  const header = Buffer.alloc(20);
  header[0] = 0x45;
  header.writeUInt16BE(20 + payload.length, 2);
  header.writeUInt16BE(0x4000, 6);
  header[8] = ttl;
  header[9] = protocol;
  ipBytes(src).copy(header, 12);
  ipBytes(dst).copy(header, 16);
  return Buffer.concat([header, payload]);
}

export function udpDatagram(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([header, payload]);
}

export function tcpSegment(srcPort: number, dstPort: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt32BE(1000, 4);
  header.writeUInt32BE(2000, 8);
  header[12] = 5 << 4;
  header[13] = flags;
  header.writeUInt16BE(64240, 14);
  return Buffer.concat([header, payload]);
}

/** An ICMP echo request (type 8) or reply (type 0) with an id, a sequence number and 8 bytes of data. */
export function icmpEcho(type: 0 | 8, id: number, seq: number): Buffer {
  const b = Buffer.alloc(16);
  b[0] = type;
  b.writeUInt16BE(id, 4);
  b.writeUInt16BE(seq, 6);
  return b;
}
