"use client";

import type { CapturedPacket } from "~/protocol/terminalProtocol";
import { hexDump } from "./hexDump";

/** The opened packet, one expandable group per decoded layer (Frame, Ethernet II, IPv4, ICMP…), then its bytes. */
export function PacketDetail({ packet }: { packet: CapturedPacket | null }) {
  if (!packet) {
    return (
      <section className="packet-detail" aria-label="Packet details">
        <p className="tagline">Select a packet (click it, or arrows then Enter) to see its layers and bytes.</p>
      </section>
    );
  }
  return (
    <section className="packet-detail" aria-label={`Packet ${packet.no} details`}>
      <h3>
        Packet {packet.no}: {packet.protocol}, {packet.info}
      </h3>
      <div className="packet-layers">
        {packet.layers.map((layer, i) => (
          <details key={`${i}-${layer.name}`} open>
            <summary>{layer.name}</summary>
            <dl>
              {layer.fields.map((f, j) => (
                <div key={`${j}-${f.name}`}>
                  <dt>{f.name}</dt>
                  <dd>{f.value}</dd>
                </div>
              ))}
            </dl>
          </details>
        ))}
      </div>
      <HexView data={packet.data} no={packet.no} />
    </section>
  );
}

function HexView({ data, no }: { data: Uint8Array; no: number }) {
  return (
    <figure className="packet-hex">
      <figcaption>
        Bytes of packet {no} ({data.length} captured), hex and ASCII
      </figcaption>
      <pre tabIndex={0} aria-label={`Packet ${no} bytes, hex and ASCII`}>
        {hexDump(data)}
      </pre>
    </figure>
  );
}
