// The session host is the seed's Docker host (issue 10, part 2): the default bridge is a /16 whose
// gateway .1 is the session host's docker0, `host` mode shows docker0, eth0 and lo, DNS sent to
// any address is answered by the lab DNS, names do not resolve on the default bridge, and the
// learner's shell there holds no capability. Nothing a container sends leaves the machine.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import type { SessionSpec } from "~/core/provisioner/port";
import { loadProvisionerConfig } from "../../worker/config";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { sessionRuntimeFromConfig } from "../../worker/provisioner/docker/fromConfig";
import { HOST_SETUP } from "../../worker/provisioner/docker/hostSetup";
import { containerName, networkName } from "../../worker/provisioner/docker/names";
import { FORWARD_DROP_RULES } from "../../worker/provisioner/firewall/labFirewall";
import { TEST_INSTALLATION } from "../support/engine";
import { eventually } from "../support/eventually";
import { engine, eth0, ifconfig, nslookup, sh, startLab, teardownAll } from "../support/lab";
import { sameSubnet } from "../support/netparse";
import { bridgeOf, containerPid, endpoint, rawframeIn } from "../tools/rawframe";

const run = promisify(execFile);
const docker: Docker = createDockerClient(process.env.DOCKER_HOST);
const runtime = sessionRuntimeFromConfig(loadProvisionerConfig(), TEST_INSTALLATION);
/** `docker run -d`'s terminal and stream settings, for the runtime's containers. */
const detached = {
  env: [],
  tty: false,
  openStdin: false,
  stdinOnce: false,
  attachStdin: false,
  attachStdout: false,
  attachStderr: false,
  autoRemove: false,
};
/** TEST-NET-3: never answered, never routed anywhere by this machine. */
const OUTSIDE = "203.0.113.7";

afterAll(teardownAll);

let sid: string;
let spec: SessionSpec;
let gateway: string;
let provisionMs: number;

beforeAll(async () => {
  const started = Date.now();
  ({ sessionId: sid, spec } = await startLab({
    networks: [{ name: "mynet", driver: "bridge" }],
    containers: [
      { name: "busybox1" },
      { name: "busybox2" },
      { name: "hosted", network: "host" },
      { name: "google", dns: ["8.8.8.8"] },
      { name: "web", network: "mynet" },
      { name: "client", network: "mynet" },
    ],
    labDns: true,
  }));
  provisionMs = Date.now() - started;
  const bridge = await docker.getNetwork(networkName(sid, "bridge")).inspect();
  gateway = bridge.IPAM!.Config![0]!.Gateway!;
});

describe("the default bridge (S2, S7)", () => {
  it("is a /16 from the bridge pool: eth0 has mask 255.255.0.0, like the seed's 172.17.0.0/16", async () => {
    const b1 = await eth0(sid, "busybox1");
    expect(b1.mask).toBe("255.255.0.0");
    expect(gateway).toMatch(/^10\.\d+\.0\.1$/);
    expect(sameSubnet(b1.ipv4, gateway, b1.mask)).toBe(true);
    console.log(`provisioned a seven-container session with the session host's set-up in ${provisionMs} ms`);
  });

  it("its gateway .1 is the session host's docker0 and answers ping; the route goes through it", async () => {
    const ping = await sh(sid, "busybox1", `ping -c 1 -W 2 ${gateway}`);
    expect(ping.output).toContain("1 packets received");
    const route = await sh(sid, "busybox1", "ip route");
    expect(route.output).toContain(`default via ${gateway} dev eth0`);
  });

  it("host mode shows docker0 (.1, Mask:255.255.0.0), eth0 and lo, as on the seed's host", async () => {
    const hosted = await ifconfig(sid, "hosted");
    expect(hosted.get("docker0")).toMatchObject({ ipv4: gateway, mask: "255.255.0.0" });
    expect(hosted.get("eth0")).toMatchObject({ ipv4: "192.168.65.3", mask: "255.255.255.240" });
    expect(hosted.get("lo")?.ipv4).toBe("127.0.0.1");
    // The session host's leg on mynet keeps the engine's name (it is removed by that name).
    const mynet = await docker.getNetwork(networkName(sid, "mynet")).inspect();
    const top = mynet.IPAM!.Config![0]!.Subnet!.replace(/\.0\/24$/, ".254");
    expect([...hosted.values()].find((i) => i.ipv4 === top)?.name).toMatch(/^eth[1-9]$/);
  });
});

describe("DNS like the seed's (S3, S4)", () => {
  it("a default-bridge container's resolver is the host (.1), and the lab DNS answers through it", async () => {
    const answer = await nslookup(sid, "busybox1", "www.lab.example");
    expect(answer.server).toBe(gateway);
    expect(answer.addresses).toEqual(["192.168.65.3"]);
  });

  it("--dns 8.8.8.8: the Server: line says 8.8.8.8 and the lab DNS answers (redirected on docker0)", async () => {
    const answer = await nslookup(sid, "google", "www.lab.example");
    expect(answer.server).toBe("8.8.8.8");
    expect(answer.addresses).toEqual(["192.168.65.3"]);
  });

  it("names do not resolve on the default bridge, neither through the host nor through 127.0.0.11", async () => {
    const viaHost = await sh(sid, "busybox1", "nslookup busybox2");
    expect(viaHost.exitCode).not.toBe(0);
    // The same resolvers answer other names at the same moment: the failure is the name's, not a resolver's.
    expect((await nslookup(sid, "busybox1", "www.lab.example")).addresses).toEqual(["192.168.65.3"]);
    const viaEngine = await sh(sid, "busybox1", "nslookup busybox2 127.0.0.11");
    expect(viaEngine.exitCode).not.toBe(0);
    expect(viaEngine.output).not.toMatch(/Name:\s+busybox2/);
    expect((await sh(sid, "busybox1", "nslookup www.lab.example 127.0.0.11")).output).toMatch(/Address:\s+192\.168\.65\.3/);
  });

  it("names resolve on a user network (Docker's embedded DNS)", async () => {
    const answer = await nslookup(sid, "client", "web");
    expect(answer.addresses).toEqual([(await eth0(sid, "web")).ipv4]);
  });
});

describe("the learner's shell in the session host holds no capability", () => {
  it("CapEff is 0, and ip link add / iptables -L are refused", async () => {
    expect((await sh(sid, "host", "grep CapEff /proc/self/status")).output).toMatch(/CapEff:\s+0{16}/);
    const link = await sh(sid, "host", "ip link add x0 type veth peer name x1");
    expect(link.exitCode).not.toBe(0);
    const tables = await sh(sid, "host", "iptables -L");
    expect(tables.exitCode).not.toBe(0);
    expect(tables.output).toMatch(/Permission denied|you must be root/);
    // The session host is no router: nothing it receives is forwarded.
    expect((await sh(sid, "host", "cat /proc/sys/net/ipv4/ip_forward")).output.trim()).toBe("0");
    expect((await sh(sid, "host", "echo 1 > /proc/sys/net/ipv4/ip_forward")).exitCode).not.toBe(0);
  });

  it("has the docker CLI and its session's (read-only) socket folder, and no helper is left", async () => {
    expect((await sh(sid, "host", "docker --version")).output).toMatch(/^Docker version /);
    expect((await sh(sid, "host", "touch /var/run/x")).exitCode).not.toBe(0);
    const objects = await engine.listSessionObjects(sid);
    expect(objects.containers).not.toContain(containerName(sid, HOST_SETUP));
    expect(objects.containers).toContain(containerName(sid, "host"));
  });

  it("a retried provision finds the host set up and changes nothing", async () => {
    const before = await ifconfig(sid, "host");
    await engine.provision(spec);
    expect([...(await ifconfig(sid, "host")).entries()]).toEqual([...before.entries()]);
  });
});

describe("nothing leaves the machine", () => {
  it("a packet for an outside address goes nowhere: the host does not route it, the machine drops it in DOCKER-USER", async () => {
    const ping = await sh(sid, "busybox1", `ping -c 1 -W 1 ${OUTSIDE}`);
    expect(ping.output).toContain("1 packets transmitted, 0 packets received");
    // The session host has a host's default route, to a gateway that is nobody.
    expect((await sh(sid, "host", "ip route")).output).toContain("default via 192.168.65.1 dev eth0");
    expect((await sh(sid, "host", `ping -c 1 -W 1 ${OUTSIDE}`)).output).toContain("1 packets transmitted, 0 packets received");
    // A frame addressed to the machine's bridge itself, as if the machine were the gateway.
    const bridge = await bridgeOf(sid, "bridge");
    const bridgeMac = (await run("cat", [`/sys/class/net/${bridge}/address`])).stdout.trim();
    const self = await endpoint(sid, "busybox1", "bridge");
    const counter = async () => {
      const { stdout } = await run("iptables", ["-w", "5", "-L", "DOCKER-USER", "-v", "-x", "-n"]);
      const line = stdout.split("\n").find((l) => /DROP\s+\S+\s+--\s+nlab-\+\s+!nlab-\+/.test(l));
      if (!line) throw new Error(`DOCKER-USER has no rule ${FORWARD_DROP_RULES[0]!.join(" ")}:\n${stdout}`);
      return Number(line.trim().split(/\s+/)[0]);
    };
    const before = await counter();
    await rawframeIn(await containerPid(sid, "busybox1"), "udp", "eth0", bridgeMac, self.ip, OUTSIDE, 9, "LEAK");
    await eventually("the DOCKER-USER drop counting the frame", async () => (await counter()) > before, { timeoutMs: 5_000 });
  });
});

describe("a learner's container (the session runtime)", () => {
  it("is hardened exactly like a provisioned one and attached by the same rules", async () => {
    const { id } = await runtime.createContainer(sid, {
      ...detached,
      name: "made",
      attach: { kind: "network", network: "bridge" },
      dns: ["8.8.8.8"],
      env: ["A=1"],
      tty: true,
      openStdin: true,
    });
    const made = await docker.getContainer(id).inspect();
    const provisioned = await docker.getContainer(containerName(sid, "google")).inspect();
    const hardening = (h: Docker.HostConfig) => ({
      CapDrop: h.CapDrop,
      CapAdd: h.CapAdd,
      ReadonlyRootfs: h.ReadonlyRootfs,
      Memory: h.Memory,
      MemorySwap: h.MemorySwap,
      PidsLimit: h.PidsLimit,
      SecurityOpt: h.SecurityOpt,
      Tmpfs: h.Tmpfs,
      Sysctls: h.Sysctls,
      Privileged: h.Privileged,
      Dns: h.Dns,
      NetworkMode: h.NetworkMode,
    });
    expect(hardening(made.HostConfig)).toEqual(hardening(provisioned.HostConfig));
    expect(made.HostConfig.CapDrop).toEqual(["ALL"]);
    expect(made.HostConfig.ReadonlyRootfs).toBe(true);
    expect(made.Config.Labels).toMatchObject({ "io.wireroom.session": sid, "io.wireroom.kind": "learner" });
    await docker.getContainer(id).start();
    expect((await nslookup(sid, "made", "www.lab.example")).server).toBe("8.8.8.8");
  });

  it("refuses a taken name and an unknown network with one line", async () => {
    await expect(runtime.createContainer(sid, { ...detached, name: "busybox1", attach: { kind: "none" } })).rejects.toThrow(
      'the container name "busybox1" is already in use in this session',
    );
    await expect(
      runtime.createContainer(sid, { ...detached, name: "other", attach: { kind: "network", network: "nonet" } }),
    ).rejects.toThrow('network "nonet" does not exist in this session; networks: ');
  });

  it("a learner's network gets an internal /24, the session host at .254, and one-line refusals", async () => {
    const { id } = await runtime.createNetwork(sid, { name: "learnt", driver: "bridge" });
    const info = await docker.getNetwork(id).inspect();
    expect(info.Internal).toBe(true);
    expect(info.IPAM!.Config![0]!.Subnet).toMatch(/\/24$/);
    const top = info.IPAM!.Config![0]!.Subnet!.replace(/\.0\/24$/, ".254");
    expect([...(await ifconfig(sid, "host")).values()].map((i) => i.ipv4)).toContain(top);
    await expect(runtime.createNetwork(sid, { name: "learnt", driver: "bridge" })).rejects.toThrow(
      "network with name learnt already exists",
    );
    await expect(runtime.createNetwork(sid, { name: "far", driver: "bridge", subnet: "192.168.0.0/24" })).rejects.toThrow(
      /--subnet must be an IPv4 CIDR from \/24 to \/29 inside/,
    );
  });

  it("an overlay with a chosen /28: the session host at its top address; then the network quota", async () => {
    const pool = loadProvisionerConfig().LAB_SUBNET_POOL;
    const base = pool.split(".").slice(0, 2).join(".");
    // A /28 in the pool that no network on the engine overlaps: the last of a /24 nobody took.
    let created: { id: string } | undefined;
    for (let third = 255; !created && third > 200; third--) {
      created = await runtime
        .createNetwork(sid, { name: "ov", driver: "overlay", subnet: `${base}.${third}.240/28` })
        .catch((error: Error) => {
          if (/overlaps/.test(error.message)) return undefined;
          throw error;
        });
    }
    const info = await docker.getNetwork(created!.id).inspect();
    expect(info.Driver).toBe("overlay");
    const subnet = info.IPAM!.Config![0]!.Subnet!;
    expect(subnet).toMatch(/\.240\/28$/);
    const top = subnet.replace(/\.240\/28$/, ".254");
    const host = await ifconfig(sid, "host");
    expect([...host.values()].map((i) => i.ipv4)).toContain(top);
    // mynet, learnt, ov: one more fits the default quota of 4, the next is refused.
    const fourth = await runtime.createNetwork(sid, { name: "fourth", driver: "bridge" });
    await expect(runtime.createNetwork(sid, { name: "fifth", driver: "bridge" })).rejects.toThrow(
      "a session may have at most 4 networks of its own; remove one (docker network rm) first",
    );
    // Removed (the session host disconnected first, as `docker network rm` does it): its leg goes.
    const fourthTop = (await docker.getNetwork(fourth.id).inspect()).IPAM!.Config![0]!.Subnet!.replace(/\.0\/24$/, ".254");
    expect([...(await ifconfig(sid, "host")).values()].map((i) => i.ipv4)).toContain(fourthTop);
    await docker.getNetwork(fourth.id).disconnect({ Container: containerName(sid, "host") });
    await docker.getNetwork(fourth.id).remove();
    expect([...(await ifconfig(sid, "host")).values()].map((i) => i.ipv4)).not.toContain(fourthTop);
  });

  it("refuses --hostname with another's namespace, and a container over the quota", async () => {
    await expect(
      runtime.createContainer(sid, {
        ...detached,
        name: "named",
        hostname: "x",
        attach: { kind: "container", target: "busybox1" },
      }),
    ).rejects.toThrow("--hostname cannot be combined with --network container:busybox1");
    // Six lab containers and "made": the eighth fits the default quota of 8, the ninth does not.
    await runtime.createContainer(sid, { ...detached, name: "eighth", attach: { kind: "none" } });
    await expect(runtime.createContainer(sid, { ...detached, name: "ninth", attach: { kind: "none" } })).rejects.toThrow(
      "a session may have at most 8 containers; remove one (docker rm) before creating another",
    );
  });
});
