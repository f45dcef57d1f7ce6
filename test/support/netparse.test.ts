import { describe, expect, it } from "vitest";
import { parseIfconfig, parseNslookup, sameSubnet } from "./netparse";

const ifconfig = `eth0      Link encap:Ethernet  HWaddr 02:42:AC:11:00:02
          inet addr:172.17.0.2  Bcast:172.17.255.255  Mask:255.255.0.0
          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1

lo        Link encap:Local Loopback
          inet addr:127.0.0.1  Mask:255.0.0.0
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
`;

describe("netparse", () => {
  it("reads interfaces, MACs, addresses and masks from busybox ifconfig (the seed's S2 output)", () => {
    const parsed = parseIfconfig(ifconfig);
    expect([...parsed.keys()]).toEqual(["eth0", "lo"]);
    expect(parsed.get("eth0")).toEqual({ name: "eth0", mac: "02:42:ac:11:00:02", ipv4: "172.17.0.2", mask: "255.255.0.0" });
    expect(parsed.get("lo")).toEqual({ name: "lo", ipv4: "127.0.0.1", mask: "255.0.0.0" });
  });

  it("reads the server and answers from busybox nslookup", () => {
    const ok = parseNslookup("Server:\t\t10.0.0.254\nAddress:\t10.0.0.254:53\n\nName:\twww.lab.example\nAddress: 10.0.0.254\n");
    expect(ok).toEqual({ server: "10.0.0.254", addresses: ["10.0.0.254"], nxdomain: false });
    const missing = parseNslookup("Server:\t\t10.0.0.254\nAddress:\t10.0.0.254:53\n\n** server can't find x.example: NXDOMAIN\n");
    expect(missing).toEqual({ server: "10.0.0.254", addresses: [], nxdomain: true });
  });

  it("compares subnets", () => {
    expect(sameSubnet("10.1.2.3", "10.1.2.200", "255.255.255.0")).toBe(true);
    expect(sameSubnet("10.1.2.3", "10.1.3.3", "255.255.255.0")).toBe(false);
  });
});
