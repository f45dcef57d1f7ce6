import { describe, expect, it } from "vitest";
import { parseIpOutput } from "./topology";

// busybox's `ip -o link; ip -o -4 addr` in a lab container, as the engine returns it.
const OUTPUT = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
95214: eth0@if95215: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \\    link/ether 02:42:ac:11:00:03 brd ff:ff:ff:ff:ff:ff
95300: eth1@if95301: <BROADCAST,MULTICAST> mtu 1500 qdisc noop \\    link/ether 02:42:0a:01:00:05 brd ff:ff:ff:ff:ff:ff
1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
95214: eth0    inet 172.17.0.3/16 brd 172.17.255.255 scope global eth0\\       valid_lft forever preferred_lft forever
`;

describe("reading busybox ip's interfaces", () => {
  it("gives each interface's name (without @ifN), MAC, IPv4 addresses with prefix, and whether it is up, in index order", () => {
    expect(parseIpOutput(OUTPUT)).toEqual([
      { name: "lo", ipv4: ["127.0.0.1/8"], up: true },
      { name: "eth0", mac: "02:42:ac:11:00:03", ipv4: ["172.17.0.3/16"], up: true },
      { name: "eth1", mac: "02:42:0a:01:00:05", ipv4: [], up: false },
    ]);
  });

  it("ignores lines that are not ip's and names the kernel would not allow", () => {
    const odd = `garbage\n7: ../../etc: <UP> mtu 1\\    link/ether 02:42:00:00:00:01 brd ff\n8: averyveryverylongname0: <UP> mtu 1\\    link/ether 02:42:00:00:00:02 brd ff\n9: x: <UP> mtu 1\\    link/ether 02:42:00:00:00:03 brd ff\n9: x    inet 10.0.0.9/24 scope global x\\ \n`;
    expect(parseIpOutput(odd)).toEqual([{ name: "x", mac: "02:42:00:00:00:03", ipv4: ["10.0.0.9/24"], up: true }]);
  });
});
