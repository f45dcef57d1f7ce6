// The .pcap a capture's download is (the writer is src/protocol/pcap.ts, shared with the worker's
// tests), and its file name.
export { LINKTYPE_ETHERNET, PCAP_MAGIC, pcapFile, type PcapPacket } from "~/protocol/pcap";

/** A file name for a capture's download: `capture-busybox2-eth0-20261129T044512Z.pcap`. */
export function pcapFileName(container: string, iface: string, startedAt: Date): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const safe = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, "_");
  return `capture-${safe(container)}-${safe(iface)}-${stamp}.pcap`;
}
