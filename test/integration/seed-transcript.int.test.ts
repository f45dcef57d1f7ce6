// The seed tutorial (../shared/seed/docker-network.original.md), replayed command by command in a
// session's host terminal through a real socket.io client, as a learner types it: the real Docker
// CLI in the session host, the session's own Docker endpoint, the real engine. Each output is
// checked against the seed's observation (S1-S12, ../shared/seed/README.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWorker } from "../../worker/app";
import { parseIfconfig } from "../support/netparse";
import { connectTerminal, learner, testWorker, waitForStatus, type TerminalClient } from "../support/harness";
import { exitContainer as leaveContainer, PROMPT, runInteractive as startInteractive, type as typeInto } from "../support/typing";

let worker: RunningWorker;
let host: TerminalClient;
let owner: Awaited<ReturnType<typeof learner>>;
let sessionId: string;
/** The host terminal's typing helpers (test/support/typing.ts), bound to it. */
const type = (command: string, until?: RegExp) => typeInto(host, command, until);
const runInteractive = (command: string) => startInteractive(host, command);
const exitContainer = (keys?: string) => leaveContainer(host, keys);

beforeAll(async () => {
  worker = await testWorker();
  owner = await learner();
  sessionId = (await owner.api.session.start({ labSlug: "docker-cli" })).id;
  await waitForStatus(sessionId, ["READY"], 60_000);
  const { token } = await owner.api.session.terminalToken({ sessionId, terminal: "host" });
  host = await connectTerminal(worker.port, { token, sessionId, terminal: "host" });
  await host.waitForOutput(PROMPT);
}, 90_000);

afterAll(async () => {
  host?.close();
  if (sessionId) await owner.api.session.stop({ sessionId }).catch(() => undefined);
  await worker?.stop();
});

describe("the seed's transcript in the host terminal", () => {
  let gateway: string;
  let busybox1: { ipv4?: string; mac?: string };

  it("S1: docker network ls lists bridge, host and none, scope local", async () => {
    const out = await type("docker network ls");
    expect(out).toMatch(/NETWORK ID\s+NAME\s+DRIVER\s+SCOPE/);
    expect(out).toMatch(/^[0-9a-f]{12}\s+bridge\s+bridge\s+local\s*$/m);
    expect(out).toMatch(/^[0-9a-f]{12}\s+host\s+host\s+local\s*$/m);
    expect(out).toMatch(/^[0-9a-f]{12}\s+none\s+null\s+local\s*$/m);
  });

  it("S2: docker run -it --rm busybox: eth0 with a /16 (255.255.0.0) plus lo; its gateway answers ping", async () => {
    await runInteractive("docker run --name busybox1 -it --rm busybox:latest");
    const interfaces = parseIfconfig(await type("ifconfig"));
    expect([...interfaces.keys()].sort()).toEqual(["eth0", "lo"]);
    const eth0 = interfaces.get("eth0")!;
    expect(eth0.mask).toBe("255.255.0.0");
    expect(interfaces.get("lo")?.ipv4).toBe("127.0.0.1");
    gateway = eth0.ipv4!.replace(/\.\d+\.\d+$/, ".0.1");
    expect(await type("ip route")).toContain(`default via ${gateway} dev eth0`);
    expect(await type(`ping -c 1 -W 3 ${gateway}`)).toMatch(/1 packets transmitted, 1 packets received/);
  });

  it("S3: the container's DNS server is the host (the gateway), answered by the lab DNS", async () => {
    const out = await type("nslookup -type=A www.baidu.com");
    expect(out).toMatch(new RegExp(`Server:\\s+${gateway.replaceAll(".", "\\.")}\\n`));
    expect(out).toMatch(/Name:\s+www\.baidu\.com\nAddress:\s+\d+\.\d+\.\d+\.\d+\n/);
    await exitContainer();
    expect(await type("docker ps -a")).not.toMatch(/busybox1/);
  });

  it("S4: --dns 8.8.8.8 makes the Server: line 8.8.8.8 (answered inside the lab)", async () => {
    await runInteractive("docker run -it --rm --dns 8.8.8.8 --name busybox1 busybox");
    const out = await type("nslookup -type=A www.baidu.com");
    expect(out).toMatch(/Server:\s+8\.8\.8\.8\n/);
    expect(out).toMatch(/Address:\s+8\.8\.8\.8:53\n/);
    expect(out).toMatch(/Name:\s+www\.baidu\.com\nAddress:\s+\d+\.\d+\.\d+\.\d+\n/);
    await exitContainer();
  });

  it("S5: --network bridge is the same as the default", async () => {
    await runInteractive("docker run -it --rm --network bridge --name busybox1 busybox");
    const eth0 = parseIfconfig(await type("ifconfig")).get("eth0")!;
    expect(eth0.mask).toBe("255.255.0.0");
    expect(eth0.ipv4!.replace(/\.\d+\.\d+$/, ".0.1")).toBe(gateway);
    await exitContainer();
  });

  it("S6: --network none has only lo", async () => {
    await runInteractive("docker run --name busybox1 -it --rm --network none busybox:latest");
    expect([...parseIfconfig(await type("ifconfig")).keys()]).toEqual(["lo"]);
    await exitContainer();
  });

  it("S7: --network host shows the host's docker0 (the gateway, 255.255.0.0), eth0 and lo", async () => {
    await runInteractive("docker run -it --rm --network host --name busybox1 busybox");
    const interfaces = parseIfconfig(await type("ifconfig"));
    expect([...interfaces.keys()]).toEqual(expect.arrayContaining(["docker0", "eth0", "lo"]));
    expect(interfaces.get("docker0")).toMatchObject({ ipv4: gateway, mask: "255.255.0.0" });
    expect(interfaces.get("eth0")?.ipv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await exitContainer();
  });

  it("S8: two bridge containers have different addresses, and cannot resolve each other's names", async () => {
    await runInteractive("docker run -it --rm --network bridge --name busybox1 busybox");
    busybox1 = parseIfconfig(await type("ifconfig")).get("eth0")!;
    // Ctrl-P Ctrl-Q detaches and leaves busybox1 running, as on any Docker host.
    await exitContainer("\x10\x11");
    expect(await type("docker ps")).toMatch(/busybox1/);
    await runInteractive("docker run -it --rm --network bridge --name busybox2 busybox");
    const busybox2 = parseIfconfig(await type("ifconfig")).get("eth0")!;
    expect(busybox2.ipv4).not.toBe(busybox1.ipv4);
    expect(busybox2.mask).toBe("255.255.0.0");
    // The classic lesson: on the default bridge names do not resolve, not even with Docker's resolver.
    expect(await type("nslookup busybox1 127.0.0.11")).not.toContain(busybox1.ipv4!);
    expect(await type("nslookup busybox1")).not.toContain(busybox1.ipv4!);
    await exitContainer();
  });

  it("S9: --network container:busybox1 shares busybox1's IP and MAC", async () => {
    await runInteractive("docker run -it --rm --network container:busybox1 --name busybox2 busybox");
    const shared = parseIfconfig(await type("ifconfig")).get("eth0")!;
    expect(shared.ipv4).toBe(busybox1.ipv4);
    expect(shared.mac).toBe(busybox1.mac);
    await exitContainer();
  });

  it("S10: docker info lists the network plugins of the seed", async () => {
    const out = await type("docker info");
    expect(out).toMatch(/Network: bridge host ipvlan macvlan null overlay\n/);
  });

  it("S11: docker network create --driver bridge mynet appears beside the built-ins; names resolve there", async () => {
    expect(await type("docker network create --driver bridge mynet")).toMatch(/^[0-9a-f]{64}$/m);
    const out = await type("docker network ls");
    for (const [name, driver] of [
      ["bridge", "bridge"],
      ["host", "host"],
      ["mynet", "bridge"],
      ["none", "null"],
    ])
      expect(out).toMatch(new RegExp(`^[0-9a-f]{12}\\s+${name}\\s+${driver}\\s+local\\s*$`, "m"));
    await type("docker run -dit --name web --network mynet busybox");
    expect(await type("docker run --rm --network mynet busybox nslookup web")).toMatch(
      /Name:\s+web\nAddress:\s+\d+\.\d+\.\d+\.\d+/,
    );
  });

  it("S12: an overlay network the learner creates carries a container", async () => {
    expect(await type("docker network create --driver overlay myoverlay")).toMatch(/^[0-9a-z]{25,64}$/m);
    expect(await type("docker network ls")).toMatch(/^[0-9a-z]{12}\s+myoverlay\s+overlay\s+swarm\s*$/m);
    const eth0 = parseIfconfig(await type("docker run --rm --network myoverlay busybox ifconfig")).get("eth0");
    expect(eth0?.ipv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});
