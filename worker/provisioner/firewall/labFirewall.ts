// The worker machine's own defences against lab networks, kept by the worker (it runs as root on
// the engine's host): one INPUT rule per address family drops everything that arrives on a lab
// bridge (every lab bridge is named nlab-…), and each lab bridge has IPv6 off and answers no ARP.
// Lab containers can then reach nothing on the machine: no service, no dockerd swarm port, no VXLAN
// socket (so no injection into another session's overlay), by IPv4, IPv6 or ARP.
import { execFile } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { LAB_BRIDGE_PREFIX } from "../docker/names";

const run = promisify(execFile);

export interface LabFirewall {
  /**
   * Installs what is missing (idempotent): the drop rules at the top of INPUT (iptables and
   * ip6tables) and the sysctls of every lab bridge that exists now. Call after creating lab
   * networks and before starting their containers, with their bridges: each must be visible here
   * (the worker shares the engine host's network namespace). Throws LabFirewallError when not.
   */
  ensure(bridges?: string[]): Promise<void>;
}

export class LabFirewallError extends Error {
  constructor(problem: string) {
    super(
      `LAB_FIREWALL=on but the lab firewall cannot be applied: ${problem}. ` +
        "Run the worker as root on the Docker engine's host, or set LAB_FIREWALL=off and apply the rules yourself (README, Security).",
    );
    this.name = "LabFirewallError";
  }
}

/** The rule, as `iptables -S` prints it. */
export const DROP_RULE = ["-i", `${LAB_BRIDGE_PREFIX}+`, "-j", "DROP"];

/** Bridge sysctls: no IPv6 at all, and no ARP answers for any of the machine's addresses. */
export function bridgeSysctls(bridge: string): [string, string][] {
  return [
    [`/proc/sys/net/ipv6/conf/${bridge}/disable_ipv6`, "1"],
    [`/proc/sys/net/ipv4/conf/${bridge}/arp_ignore`, "8"],
  ];
}

async function iptables(tool: string, args: string[]): Promise<string> {
  try {
    return (await run(tool, ["-w", "5", ...args], { timeout: 15_000 })).stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new LabFirewallError(`${tool} is not installed (Debian: apt-get install iptables)`);
    throw new LabFirewallError(`${tool} ${args.join(" ")} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** Puts the drop rule first in INPUT; later copies (left by a race or a moved rule) are removed. */
async function ensureTopRule(tool: string): Promise<void> {
  const rules = () => iptables(tool, ["-S", "INPUT"]).then((out) => out.split("\n").filter((l) => l.startsWith("-A INPUT")));
  const ours = `-A INPUT ${DROP_RULE.join(" ")}`;
  let listed = await rules();
  if (listed[0] !== ours) {
    await iptables(tool, ["-I", "INPUT", "1", ...DROP_RULE]);
    listed = await rules();
  }
  for (let n = listed.length; n > 1; n--) {
    if (listed[n - 1] === ours) await iptables(tool, ["-D", "INPUT", String(n)]);
  }
}

async function secureBridges(expected: string[]): Promise<void> {
  const present = await readdir("/sys/class/net");
  const missing = expected.filter((bridge) => !present.includes(bridge));
  if (missing.length) {
    throw new LabFirewallError(
      `lab bridge ${missing.join(", ")} is not visible to the worker: it does not share the network namespace of the engine's host`,
    );
  }
  const bridges = present.filter((name) => name.startsWith(LAB_BRIDGE_PREFIX));
  for (const bridge of bridges) {
    for (const [file, value] of bridgeSysctls(bridge)) {
      try {
        await writeFile(file, value);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // the bridge went away meanwhile
        throw new LabFirewallError(`cannot write ${file}: ${(error as Error).message}`);
      }
    }
  }
}

export function createLabFirewall(options: { dockerHost: string | undefined }): LabFirewall {
  let queue: Promise<void> = Promise.resolve();
  async function apply(expected: string[]) {
    if (options.dockerHost && !options.dockerHost.startsWith("unix://")) {
      throw new LabFirewallError(`the engine is remote (DOCKER_HOST=${options.dockerHost}); the rules belong on its host`);
    }
    if (process.getuid?.() !== 0) throw new LabFirewallError("the worker is not running as root");
    for (const tool of ["iptables", "ip6tables"]) await ensureTopRule(tool);
    await secureBridges(expected);
  }
  return {
    ensure(bridges = []) {
      // One at a time in this process: concurrent provisions would otherwise race on INPUT.
      const next = queue.then(() => apply(bridges));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

export const noLabFirewall: LabFirewall = { ensure: async () => undefined };
