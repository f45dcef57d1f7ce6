// The list and the detail pane rendered to markup (no browser here): only the rows in view are in
// the page however many packets there are, the grid's accessible structure, and the opened packet's layers and bytes.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { CapturedPacket } from "~/protocol/terminalProtocol";
import { PacketDetail } from "./PacketDetail";
import { PacketList } from "./PacketList";

const packet = (no: number): CapturedPacket => ({
  no,
  ts: 1_764_391_512_000_000 + no * 1000,
  len: 98,
  caplen: 98,
  src: "172.17.0.2",
  dst: "172.17.0.3",
  protocol: "ICMP",
  info: `Echo (ping) request id=0x0001, seq=${no}`,
  layers: [
    { name: "Internet Protocol Version 4", fields: [{ name: "Source Address", value: "172.17.0.2" }] },
    { name: "Internet Control Message Protocol", fields: [{ name: "Type", value: "8 (Echo (ping) request)" }] },
  ],
  data: new Uint8Array([0x45, 0x00, 0x41, 0x42]),
});

describe("PacketList", () => {
  it("renders a few dozen rows of 10,000, with the grid's row count, headers and the selected row active", () => {
    const packets = Array.from({ length: 10_000 }, (_, i) => packet(i + 1));
    const html = renderToStaticMarkup(
      createElement(PacketList, { packets, firstTs: packets[0]!.ts, selected: 2, onSelect: () => {}, onOpen: () => {} }),
    );
    const rows = html.match(/role="row"/g)!.length;
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(40);
    expect(html).toContain('aria-rowcount="10001"');
    expect(html).toContain('aria-label="Packets"');
    for (const h of ["No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"])
      expect(html).toContain(`>${h}</span>`);
    expect(html).toMatch(/aria-activedescendant="[^"]+-row-2"/);
    expect(html).toMatch(/aria-rowindex="4" aria-selected="true"/);
    expect(html).toContain(">0.002000<");
    expect(html).toContain("Echo (ping) request id=0x0001, seq=3");
  });
});

describe("PacketDetail", () => {
  it("shows each layer as an open group of fields, then the bytes in hex and ASCII", () => {
    const html = renderToStaticMarkup(createElement(PacketDetail, { packet: packet(7) }));
    expect(html).toContain('aria-label="Packet 7 details"');
    expect(html).toContain("<summary>Internet Protocol Version 4</summary>");
    expect(html).toContain("<summary>Internet Control Message Protocol</summary>");
    expect(html).toContain("<dt>Source Address</dt><dd>172.17.0.2</dd>");
    expect(html).toContain("0000  45 00 41 42");
    expect(html).toContain("E.AB");
  });

  it("says how to open a packet when none is", () => {
    expect(renderToStaticMarkup(createElement(PacketDetail, { packet: null }))).toContain("Select a packet");
  });
});
