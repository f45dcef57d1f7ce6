// The session host's set-up, as planned from the session's networks and written as a script.
import { describe, expect, it } from "vitest";
import { demux, expectedInterfaces, hostSetupPlan, hostSetupScript, vethName } from "./hostSetup";
import type { ReadyNetwork } from "./networks";

const net = (name: string, subnet: string, driver: "bridge" | "overlay" = "bridge", id = "f".repeat(64)): ReadyNetwork => ({
  name,
  driver,
  subnet,
  id,
  engineName: `wireroom-s-net-${name}`,
});

describe("session host set-up", () => {
  const networks = [
    net("bridge", "10.77.0.0/16", "bridge", "a".repeat(64)),
    net("mynet", "10.213.5.0/24", "bridge", "0123456789abcdef".repeat(4)),
    net("ov", "10.213.6.0/24", "overlay"),
  ];

  it("plans docker0 on the bridge's gateway with its /16 and eth0's peer from the session id", () => {
    const plan = hostSetupPlan("session-1", networks);
    expect(plan).toEqual({
      bridgeAddress: "10.77.255.254",
      gateway: "10.77.0.1/16",
      veth: vethName("session-1"),
    });
    expect(plan.veth).toMatch(/^veth[0-9a-f]{7}$/);
    expect(vethName("session-2")).not.toBe(plan.veth);
    expect(expectedInterfaces(plan)).toEqual(["docker0", "eth0", plan.veth]);
  });

  it("writes a script whose every step checks first, finding interfaces by address, the peer up last", () => {
    const script = hostSetupScript(hostSetupPlan("session-1", networks));
    const lines = script.split("\n");
    expect(lines[0]).toBe("set -e");
    expect(script).toContain("if ! ip link show docker0 >/dev/null 2>&1; then");
    expect(script).toContain("dev=$(dev_of 10.77.255.254)");
    expect(script).toContain("ip addr flush dev docker0; ip addr add 10.77.0.1/16 brd + dev docker0");
    for (const proto of ["udp", "tcp"]) {
      const rule = `PREROUTING -i docker0 -p ${proto} --dport 53 -j REDIRECT --to-ports 53`;
      expect(script).toContain(`iptables -t nat -C ${rule} 2>/dev/null || iptables -t nat -A ${rule}`);
    }
    // User networks' legs keep the engine's names (it removes them by name on disconnect).
    expect(script).not.toContain("10.213.5.254");
    expect(script).toContain("ip addr add 192.168.65.3/28 brd + dev eth0");
    expect(lines.at(-1)).toBe(`ip link set ${vethName("session-1")} up`);
  });

  it("refuses a value that is not an address or a plain name", () => {
    const plan = { ...hostSetupPlan("s", networks), veth: "veth0; reboot" };
    expect(() => hostSetupScript(plan)).toThrow(/refusing to put "veth0; reboot"/);
    expect(() => hostSetupPlan("s", networks.slice(1))).toThrow(/has no default bridge/);
  });

  it("reads a non-TTY log stream's frames", () => {
    const frame = (type: number, text: string) => {
      const head = Buffer.alloc(8);
      head[0] = type;
      head.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([head, Buffer.from(text)]);
    };
    expect(demux(Buffer.concat([frame(1, "out "), frame(2, "err")]))).toBe("out err");
  });
});
