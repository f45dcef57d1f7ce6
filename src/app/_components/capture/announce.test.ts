import { describe, expect, it } from "vitest";
import type { CaptureInfo } from "~/protocol/terminalProtocol";
import { announce, formatBytes, stateLine } from "./announce";

const running: CaptureInfo = {
  id: "c1",
  container: "busybox2",
  iface: "eth0",
  startedBy: "ana",
  startedAt: 0,
  state: "running",
  packets: 0,
  bytes: 0,
};

describe("announce", () => {
  it("says when a capture starts and when it ends (why, how many packets), not when packets arrive", () => {
    expect(announce([], [running])).toBe("Capture started on busybox2 eth0 by ana.");
    expect(announce([running], [{ ...running, packets: 5, bytes: 500 }])).toBeNull();
    const ended = { ...running, state: "ended" as const, reason: "stopped by ana", packets: 1 };
    expect(announce([running], [ended])).toBe("Capture on busybox2 eth0 ended: stopped by ana; 1 packet.");
    expect(announce([ended], [ended])).toBeNull();
    // A capture seen for the first time already ended (a late joiner) is news too.
    expect(announce([], [{ ...ended, packets: 7 }])).toBe("Capture on busybox2 eth0 ended: stopped by ana; 7 packets.");
  });

  it("words the state line with counts and the end reason", () => {
    expect(stateLine({ ...running, packets: 2, bytes: 196 })).toBe("Running: 2 packets, 196 B");
    expect(
      stateLine({ ...running, state: "ended", reason: "capture reached its size limit", packets: 1, bytes: 8 * 1024 * 1024 }),
    ).toBe("Ended (capture reached its size limit): 1 packet, 8.0 MiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
  });
});
