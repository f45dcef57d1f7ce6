// The worker machine's own defences against lab networks, kept by the worker (it runs as root on
// the engine's host): one INPUT rule per address family drops everything that arrives on a lab
// bridge (every lab bridge is named nlab-…), and each lab bridge has IPv6 off and answers no ARP.
// Lab containers can then reach nothing on the machine: no service, no dockerd swarm port, no VXLAN
// socket (so no injection into another session's overlay), by IPv4, IPv6 or ARP.
// A session's default bridge is not internal (its containers route to .1, the session host), so
// nothing but these rules would stop the machine from forwarding a packet that reached it there:
// two rules on top of DOCKER-USER (which FORWARD consults first) drop whatever the machine would
// route from a lab bridge to anything else, or to a lab bridge from anything else. Traffic within
// one lab bridge is bridged, not routed, and left alone.
import { execFile } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { LAB_BRIDGE_PREFIX } from "../docker/names";

const run = promisify(execFile);

export interface LabFirewall {
  /**
   * Installs what is missing (idempotent): the drop rules at the top of INPUT and DOCKER-USER
   * (iptables and ip6tables) and the sysctls of every lab bridge that exists now. Call after creating lab
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

const LAB = `${LAB_BRIDGE_PREFIX}+`;

/** The INPUT rule, as `iptables -S` prints it. */
export const DROP_RULE = ["-i", LAB, "-j", "DROP"];

/** The chain Docker's FORWARD jumps to first; made here (and jumped to) when Docker did not. */
export const FORWARD_CHAIN = "DOCKER-USER";

/** DOCKER-USER's rules, in order, as `iptables -S` prints them: nothing routed from or to a lab bridge. */
export const FORWARD_DROP_RULES = [
  ["-i", LAB, "!", "-o", LAB, "-j", "DROP"],
  ["!", "-i", LAB, "-o", LAB, "-j", "DROP"],
];

/** Runs one iptables-style command (the tool, then its arguments) and returns its output. */
export type RuleRunner = (tool: string, args: string[]) => Promise<string>;

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

/**
 * Puts `rules` first in `chain`, in order; later copies (left by a race or a moved rule) are
 * removed. Idempotent: a chain that starts with them is left as it is.
 */
export async function ensureTopRules(run: RuleRunner, tool: string, chain: string, rules: string[][]): Promise<void> {
  const list = () => run(tool, ["-S", chain]).then((out) => out.split("\n").filter((l) => l.startsWith(`-A ${chain} `)));
  const ours = rules.map((rule) => `-A ${chain} ${rule.join(" ")}`);
  let listed = await list();
  for (let i = 0; i < rules.length; i++) {
    if (listed[i] === ours[i]) continue;
    await run(tool, ["-I", chain, String(i + 1), ...rules[i]!]);
    listed = await list();
  }
  for (let n = listed.length; n > rules.length; n--) {
    if (ours.includes(listed[n - 1]!)) await run(tool, ["-D", chain, String(n)]);
  }
}

/** DOCKER-USER exists and FORWARD jumps to it (Docker does both for iptables, not always for ip6tables). */
export async function ensureForwardChain(run: RuleRunner, tool: string): Promise<void> {
  const chains = await run(tool, ["-S"]);
  if (!chains.split("\n").includes(`-N ${FORWARD_CHAIN}`)) await run(tool, ["-N", FORWARD_CHAIN]);
  const forward = await run(tool, ["-S", "FORWARD"]);
  if (!forward.split("\n").includes(`-A FORWARD -j ${FORWARD_CHAIN}`))
    await run(tool, ["-I", "FORWARD", "1", "-j", FORWARD_CHAIN]);
}

/** Every rule of the lab firewall, for one tool (iptables or ip6tables). */
export async function ensureRules(run: RuleRunner, tool: string): Promise<void> {
  await ensureTopRules(run, tool, "INPUT", [DROP_RULE]);
  await ensureForwardChain(run, tool);
  await ensureTopRules(run, tool, FORWARD_CHAIN, FORWARD_DROP_RULES);
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
    for (const tool of ["iptables", "ip6tables"]) await ensureRules(iptables, tool);
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
