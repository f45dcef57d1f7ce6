// Makes the session host look like the seed's Docker host, with privilege it never holds itself:
// a one-shot helper container (NET_ADMIN only, in the session host's network namespace) renames
// the default-bridge interface to docker0 and gives it the bridge's gateway address (.1, the /16's
// mask), adds an eth0 with Docker Desktop's host address, redirects DNS sent to any address on
// docker0 to the lab DNS (labdns on :53) and gives the host a default route that leads nowhere.
// The helper exits and is removed; the learner's shell in the session host keeps no capability.
// The session host's legs on user networks keep the engine's names (eth1, …): the engine finds an
// interface by that name when it disconnects it, and a renamed one would stay behind, address and
// route included, after `docker network rm` (seen on Docker 20.10).
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import { DEFAULT_NETWORK } from "~/protocol/labNames";
import { engine, statusOf, toProvisionerError } from "./errors";
import { hardening, type ContainerLimits } from "./containers";
import { containerName, HELPER_KIND, LABEL_KIND, sessionLabels } from "./names";
import { gatewayAddress, hostAddress, SESSION_HOST_ETH0, type ReadyNetwork } from "./networks";
import { parseCidr } from "./subnets";
import { runInContainer } from "./run";

/** eth0's gateway (Docker Desktop's): on the session host's default route, never answering. */
export const SESSION_HOST_GATEWAY = "192.168.65.1";

/** The helper's name in the session ('.' is not allowed in a learner's names). */
export const HOST_SETUP = "host.setup";
const HELPER_TIMEOUT_MS = 30_000;

/** What the helper sets up, from the engine's view of the session host. */
export type HostSetupPlan = {
  /** The address Docker gave the session host on the default bridge: finds that interface. */
  bridgeAddress: string;
  /** docker0's address with the bridge's prefix, e.g. 10.77.0.1/16. */
  gateway: string;
  /** The veth peer of eth0 (`veth` + 7 hex of the session id). */
  veth: string;
};

export function vethName(sessionId: string): string {
  return `veth${createHash("sha256").update(sessionId).digest("hex").slice(0, 7)}`;
}

export function hostSetupPlan(sessionId: string, networks: ReadyNetwork[]): HostSetupPlan {
  const bridge = networks.find((n) => n.name === DEFAULT_NETWORK);
  if (!bridge) throw new Error(`session ${sessionId} has no default bridge`);
  return {
    bridgeAddress: hostAddress(bridge.subnet),
    gateway: `${gatewayAddress(bridge.subnet)}/${parseCidr(bridge.subnet).prefix}`,
    veth: vethName(sessionId),
  };
}

/** Interface names the session host has once the plan is applied (checked before running a helper). */
export function expectedInterfaces(plan: HostSetupPlan): string[] {
  return ["docker0", "eth0", plan.veth];
}

const SAFE = /^[A-Za-z0-9./-]+$/;

/**
 * The helper's shell script (busybox sh, ip, iptables). Every step checks first, so a retried
 * provision completes a half-done set-up; eth0's peer comes up last. Values are the platform's
 * (addresses, hex names), checked here anyway.
 */
export function hostSetupScript(plan: HostSetupPlan): string {
  const values = [plan.bridgeAddress, plan.gateway, plan.veth];
  const bad = values.find((v) => !SAFE.test(v));
  if (bad !== undefined) throw new Error(`refusing to put ${JSON.stringify(bad)} in the session host's set-up script`);
  const redirect = (proto: string) => {
    const rule = `PREROUTING -i docker0 -p ${proto} --dport 53 -j REDIRECT --to-ports 53`;
    return `iptables -t nat -C ${rule} 2>/dev/null || iptables -t nat -A ${rule}`;
  };
  return [
    "set -e",
    // The interface holding an IPv4 address (ip -o: one line per address, "N: dev inet a/p ...").
    `dev_of() { ip -o -4 addr show | awk -v a="$1" '{ split($4, p, "/"); if (p[1] == a) { print $2; exit } }'; }`,
    `rename() { ip link set "$1" down; ip link set "$1" name "$2"; ip link set "$2" up; }`,
    "if ! ip link show docker0 >/dev/null 2>&1; then",
    `  dev=$(dev_of ${plan.bridgeAddress}); [ -n "$dev" ] || { echo "no interface has ${plan.bridgeAddress}" >&2; exit 1; }`,
    '  rename "$dev" docker0',
    "fi",
    `if ! ip -o -4 addr show dev docker0 | grep -q " ${plan.gateway} "; then`,
    `  ip addr flush dev docker0; ip addr add ${plan.gateway} brd + dev docker0`,
    "fi",
    "ip link set docker0 up",
    redirect("udp"),
    redirect("tcp"),
    // busybox's ip names no veth peer: the kernel's vethN peer of ours becomes eth0.
    `ip link show ${plan.veth} >/dev/null 2>&1 || ip link add ${plan.veth} type veth`,
    "if ! ip link show eth0 >/dev/null 2>&1; then",
    `  peer=$(ip -o link show ${plan.veth} | awk -F'[@:]' '{ print $3; exit }')`,
    `  [ -n "$peer" ] || { echo "${plan.veth} has no peer" >&2; exit 1; }`,
    '  ip link set "$peer" name eth0',
    "fi",
    `ip -o -4 addr show dev eth0 | grep -q " ${SESSION_HOST_ETH0} " || ip addr add ${SESSION_HOST_ETH0} brd + dev eth0`,
    "ip link set eth0 up",
    // A host's default route, to a gateway nobody is (eth0's peer is in this namespace, unplugged):
    // what the host sends off its networks waits for an ARP answer that never comes.
    `ip route show | grep -q '^default ' || ip route add default via ${SESSION_HOST_GATEWAY} dev eth0`,
    `ip link set ${plan.veth} up`,
  ].join("\n");
}

type SetupContext = {
  sessionId: string;
  installationId: string;
  image: string;
  limits: ContainerLimits;
};

/** Whether the session host already has every interface of the plan, its eth0's peer up (the last step). */
async function alreadySetUp(docker: Docker, host: Docker.Container, plan: HostSetupPlan): Promise<boolean> {
  const probe = `ls /sys/class/net; cat /sys/class/net/${plan.veth}/operstate 2>/dev/null`;
  const { exitCode, output } = await runInContainer(docker, host, ["sh", "-c", probe], 10_000);
  if (exitCode !== 0 && exitCode !== 1) return false;
  const words = output.split(/\s+/);
  return expectedInterfaces(plan).every((name) => words.includes(name)) && words.includes("up");
}

/**
 * Applies the plan to the running session host (idempotent: nothing runs when it is in place).
 * The helper is removed whatever happens; a failure throws with the helper's output.
 */
export async function setupSessionHost(docker: Docker, hostId: string, networks: ReadyNetwork[], ctx: SetupContext) {
  const plan = hostSetupPlan(ctx.sessionId, networks);
  const host = docker.getContainer(hostId);
  if (await engine(() => alreadySetUp(docker, host, plan))) return;

  const name = containerName(ctx.sessionId, HOST_SETUP);
  const remove = () =>
    docker
      .getContainer(name)
      .remove({ force: true })
      .catch((error: unknown) => {
        if (statusOf(error) !== 404) throw toProvisionerError(error);
      });
  await remove(); // a helper left by an attempt that died
  const hostConfig: Docker.HostConfig = {
    ...hardening(ctx.limits),
    NetworkMode: `container:${hostId}`,
    CapAdd: ["NET_ADMIN"], // after CapDrop ALL: the only capability it has
  };
  try {
    const helper = await engine(() =>
      docker.createContainer({
        name,
        Image: ctx.image,
        Cmd: ["sh", "-c", hostSetupScript(plan)],
        Labels: { ...sessionLabels(ctx.sessionId, HOST_SETUP, ctx.installationId), [LABEL_KIND]: HELPER_KIND },
        HostConfig: hostConfig,
      }),
    );
    await engine(() => helper.start());
    // After the start, "not running" is its exit, whether it is still running or already done. (A
    // "next-exit" wait sent before the start could reach the engine after a quick script had exited:
    // it then waited for an exit that never came, seen under load in CI.)
    const exited = engine(() => helper.wait({ condition: "not-running" }) as Promise<{ StatusCode: number }>);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the session host's set-up did not finish within ${HELPER_TIMEOUT_MS} ms`)),
        HELPER_TIMEOUT_MS,
      );
    });
    const { StatusCode } = await Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    if (StatusCode !== 0) {
      const logs = await helper.logs({ stdout: true, stderr: true, follow: false }).catch(() => Buffer.from(""));
      // Non-TTY logs are multiplexed: 8-byte frame headers before each chunk.
      const text = demux(logs as unknown as Buffer).trim();
      throw new Error(`the session host's set-up failed (exit ${StatusCode}): ${text || "no output"}`);
    }
  } finally {
    await remove();
  }
}

/** The text of a non-TTY container's log stream (frames: type, 3 zero bytes, big-endian length). */
export function demux(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const length = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString("utf8");
}
