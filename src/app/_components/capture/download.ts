// Saves the received packets as a .pcap file from the page (no server round trip).
import type { CapturedPacket } from "~/protocol/terminalProtocol";
import { pcapFile, pcapFileName } from "./pcapFile";

export function downloadPcap(
  packets: readonly CapturedPacket[],
  capture: { container: string; iface: string; startedAt: number },
) {
  const bytes = pcapFile(packets);
  const url = URL.createObjectURL(new Blob([bytes.buffer as ArrayBuffer], { type: "application/vnd.tcpdump.pcap" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = pcapFileName(capture.container, capture.iface, new Date(capture.startedAt));
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
