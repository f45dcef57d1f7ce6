// The list's Time column: seconds since the capture's first packet, to the microsecond, as Wireshark shows it.

/** `ts` and `firstTs` in µs since the epoch. */
export function relativeTime(ts: number, firstTs: number): string {
  return (Math.max(0, ts - firstTs) / 1e6).toFixed(6);
}
