// Where a packet (by its number) is in a list sorted by number: the selection survives a new filter.
import type { DecodedPacket } from "~/protocol/terminalProtocol";

/** The index of the packet numbered `no` in `packets` (ascending `no`), or -1. */
export function indexOfPacket(packets: readonly Pick<DecodedPacket, "no">[], no: number | null): number {
  if (no === null) return -1;
  let lo = 0;
  let hi = packets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = packets[mid]!.no;
    if (at === no) return mid;
    if (at < no) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
