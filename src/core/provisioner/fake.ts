// An in-memory provisioner for unit tests: it keeps the port's promises (provisioning adopts what
// exists, teardown is idempotent, the same error classes) without an engine, so tasks, checks and
// the terminal gateway can be tested in milliseconds. test/contract/provisioner.contract.ts runs
// the same suite against it and the Docker adapter, so the two cannot drift apart.
//
// Scripting hooks stand in for what an engine does on its own: `script` decides what a command
// prints, `failNextProvisions`, `stopContainer` and `setEngineDown` make things go wrong.
import { createHash } from "node:crypto";
import { Duplex } from "node:stream";
import { DEFAULT_NETWORK, NO_NETWORK, SESSION_HOST, sharingMode } from "~/protocol/labNames";
import type { InterfaceView } from "~/core/sessions/engineView";
import { buildTopology } from "~/core/sessions/topology";
import type { TerminalSize } from "~/protocol/terminalProtocol";
// The same plan as the Docker adapter's: the fake accepts and refuses exactly the specs it does.
import { planSession, type PlannedContainer, type SessionLimits } from "./plan";
import {
  LabHostUnavailableError,
  LabObjectMissingError,
  SpecError,
  type EngineListener,
  type NetworkViewEntry,
  type Provisioner,
  type ProbeResult,
  type RunResult,
  type SessionSpec,
  type TerminalStream,
} from "./port";

/** Decides what a command run in a container prints; a shell line arrives as ["sh", "-c", line]. */
export type RunScript = (argv: string[]) => RunResult | Promise<RunResult>;

export type FakeProvisionerOptions = {
  limits?: SessionLimits;
  /** Overlay networks need swarm mode on a real engine; `swarm: false` makes them a SpecError. */
  swarm?: boolean;
  drivers?: string[];
  /** What engineId() answers (FAKE_ENGINE_ID by default): two fakes with different ids are two engines. */
  engineId?: string;
};

/** A terminal the fake opened: the test plays the shell's side. */
export type FakeTerminal = TerminalStream & {
  sessionId: string;
  container: string;
  /** Every size the terminal was given, the opening one first. */
  readonly resizes: TerminalSize[];
  /** Everything written to the terminal (keystrokes), in order. */
  readonly input: string;
  readonly closed: boolean;
  /** Writes shell output, as if the program in the terminal printed it. */
  print(data: string): void;
};

type FakeContainer = { id: string; running: boolean; networkMode: string; role: PlannedContainer["role"] };
type FakeNetwork = { id: string; driver: string };
type FakeSession = { containers: Map<string, FakeContainer>; networks: Map<string, FakeNetwork> };

export const FAKE_ENGINE_ID = "fake-engine";

export const FAKE_DEFAULT_DRIVERS = ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"];
const PROMPT = "/ # ";

function hexId(...parts: string[]): string {
  return createHash("sha256").update(parts.join("/")).digest("hex");
}

/** The network mode as `docker inspect` shows it to a learner (the adapter's learnerNetworkMode). */
function learnerMode(c: PlannedContainer): string {
  if (c.attach.kind === "none") return NO_NETWORK;
  if (c.attach.kind === "container") return sharingMode(c.attach.target);
  return c.attach.network;
}

/** A MAC made from an IPv4 address, as Docker 20.10 makes them (02:42 + the address). */
function macOf(ip: string): string {
  return ["02", "42", ...ip.split(".").map((n) => Number(n).toString(16).padStart(2, "0"))].join(":");
}

/** busybox's answer to a command the fake knows nothing about: only `echo` is built in. */
function builtinRun(argv: string[]): RunResult {
  const line = argv[0] === "sh" && argv[1] === "-c" ? (argv[2] ?? "") : argv.join(" ");
  const echo = /^\s*echo(?:\s+(.*))?$/.exec(line);
  if (echo) return { exitCode: 0, output: `${(echo[1] ?? "").replace(/^(["'])(.*)\1$/, "$2")}\n` };
  const command = line.trim().split(/\s+/)[0] ?? "";
  return { exitCode: 127, output: `sh: ${command}: not found\n` };
}

async function runWithin(script: RunScript, argv: string[], timeoutMs: number): Promise<RunResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${argv.join(" ")} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([Promise.resolve(script(argv)), timeout]).finally(() => clearTimeout(timer));
}

/**
 * A TTY shell: echoes what is typed and, on Enter, prints the command's output (from the
 * container's script, or the built-in `echo`) and a prompt. Output uses the TTY's "\r\n".
 */
function openFakeTerminal(
  sessionId: string,
  container: string,
  size: TerminalSize,
  command: (line: string) => Promise<RunResult>,
): FakeTerminal {
  const resizes: TerminalSize[] = [size];
  let input = "";
  let line = "";
  let closed = false;
  // Lines run one after another, as in a shell: a slow script does not let the next line overtake it.
  let previous: Promise<void> = Promise.resolve();
  const stream = new Duplex({
    read() {}, // output is pushed as the "shell" prints it; pausing the stream holds it back
    write(chunk: Buffer, _encoding, done) {
      keystrokes(chunk.toString("utf8"));
      done();
    },
  });
  const print = (data: string) => {
    if (!closed) stream.push(data);
  };
  const tty = (text: string) => text.replace(/\r?\n/g, "\r\n");
  const keystrokes = (text: string) => {
    input += text;
    // Typed text is echoed as it comes (one push per run, not per character); each Enter runs the line.
    for (const [, part = "", enter = ""] of text.matchAll(/([^\r\n]*)([\r\n]?)/g)) {
      if (!part && !enter) continue;
      line += part;
      print(part + (enter ? "\r\n" : ""));
      if (!enter) continue;
      const entered = line;
      line = "";
      if (!entered.trim()) {
        print(PROMPT);
        continue;
      }
      previous = previous.then(() =>
        command(entered).then(
          (result) => print(tty(result.output) + PROMPT),
          (error: Error) => print(tty(`${error.message}\n`) + PROMPT),
        ),
      );
    }
  };
  print(PROMPT);
  const close = async () => {
    if (closed) return;
    closed = true;
    stream.push(null);
    stream.destroy();
  };
  return {
    sessionId,
    container,
    stream,
    resizes,
    get input() {
      return input;
    },
    get closed() {
      return closed;
    },
    print,
    async resize(next) {
      resizes.push(next);
    },
    close,
  };
}

export type FakeProvisioner = Omit<Provisioner, "openTerminal"> & {
  openTerminal(sessionId: string, container: string, size: TerminalSize): Promise<FakeTerminal>;
  /** What `run` (and a terminal's command lines) print in one container. */
  script(sessionId: string, container: string, script: RunScript): void;
  /** The next `count` provisions fail with `error` (an engine outage by default), before changing anything. */
  failNextProvisions(count: number, error?: Error): void;
  /** A container the learner created (as `docker run` through the session's endpoint would), last in creation order. */
  learnerCreates(sessionId: string, container: { name: string; networkMode: string; running?: boolean }): void;
  /** The container is removed (`docker rm -f`): its terminals end. */
  removeContainer(sessionId: string, container: string): void;
  /** The container stops, as if its process died: its terminals end; the next provision restarts it. */
  stopContainer(sessionId: string, container: string): void;
  /** While down, every call fails with LabHostUnavailableError, as when the engine is unreachable. */
  setEngineDown(down: boolean): void;
  /** Terminals opened so far, oldest first (closed ones too). */
  readonly terminals: readonly FakeTerminal[];
};

export function createFakeProvisioner(options: FakeProvisionerOptions = {}): FakeProvisioner {
  const limits = options.limits ?? { maxContainers: 8, maxNetworks: 4 };
  const drivers = [...(options.drivers ?? FAKE_DEFAULT_DRIVERS)].sort();
  const sessions = new Map<string, FakeSession>();
  const scripts = new Map<string, RunScript>();
  const terminals: FakeTerminal[] = [];
  let failures: { count: number; error: Error } = { count: 0, error: new Error() };
  let engineDown = false;
  const listeners = new Set<EngineListener>();
  const changed = (sessionId: string) => {
    for (const l of listeners) l.changed(sessionId);
  };

  const key = (sessionId: string, container: string) => `${sessionId}/${container}`;
  const reachable = () => {
    if (engineDown) throw new LabHostUnavailableError("cannot reach the container engine (the fake engine is down)");
  };
  const endTerminals = (sessionId: string, container?: string) => {
    for (const t of terminals) if (t.sessionId === sessionId && (!container || t.container === container)) void t.close();
  };
  const running = (sessionId: string, name: string) => {
    const found = sessions.get(sessionId)?.containers.get(name);
    if (!found?.running) throw new LabObjectMissingError(`container ${name}`);
    return found;
  };
  const runIn = (sessionId: string, container: string, argv: string[], timeoutMs: number) =>
    runWithin(scripts.get(key(sessionId, container)) ?? builtinRun, argv, timeoutMs);

  return {
    terminals,

    script(sessionId, container, script) {
      scripts.set(key(sessionId, container), script);
    },
    failNextProvisions(count, error = new LabHostUnavailableError("cannot reach the container engine (scripted failure)")) {
      failures = { count, error };
    },
    learnerCreates(sessionId, { name, networkMode, running = true }) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`the fake has no session ${sessionId}`);
      if (session.containers.has(name)) throw new Error(`the fake's session ${sessionId} has a container ${name} already`);
      session.containers.set(name, { id: hexId(sessionId, name), running, networkMode, role: "learner" });
      changed(sessionId);
    },
    removeContainer(sessionId, container) {
      if (!sessions.get(sessionId)?.containers.delete(container)) {
        throw new Error(`the fake has no container ${container} in session ${sessionId}`);
      }
      endTerminals(sessionId, container);
      changed(sessionId);
    },
    stopContainer(sessionId, container) {
      const found = sessions.get(sessionId)?.containers.get(container);
      if (!found) throw new Error(`the fake has no container ${container} in session ${sessionId}`);
      found.running = false;
      endTerminals(sessionId, container);
      changed(sessionId);
    },
    setEngineDown(down) {
      const wasDown = engineDown;
      engineDown = down;
      // Like the Docker adapter's event stream: re-established when the engine is back, changes meanwhile missed.
      if (wasDown && !down) for (const l of listeners) l.resynced();
    },

    async ping() {
      reachable();
    },

    async provision(spec: SessionSpec) {
      const plan = planSession(spec, limits);
      reachable();
      if (failures.count > 0) {
        failures.count--;
        throw failures.error;
      }
      if (options.swarm === false && plan.networks.some((n) => n.driver === "overlay")) {
        throw new SpecError("overlay networks need the lab host's Docker engine in swarm mode, or use a bridge network");
      }
      const session = sessions.get(spec.sessionId) ?? { containers: new Map(), networks: new Map() };
      sessions.set(spec.sessionId, session);
      for (const net of plan.networks) {
        if (!session.networks.has(net.name)) {
          session.networks.set(net.name, { id: hexId(spec.sessionId, "net", net.name), driver: net.driver });
        }
      }
      for (const c of plan.containers) {
        const existing = session.containers.get(c.name);
        if (existing) existing.running = true;
        else
          session.containers.set(c.name, {
            id: hexId(spec.sessionId, c.name),
            running: true,
            networkMode: learnerMode(c),
            role: c.role,
          });
      }
      changed(spec.sessionId);
    },

    async resume(sessionId) {
      reachable();
      if (!sessions.get(sessionId)?.containers.has(SESSION_HOST)) throw new LabObjectMissingError(`session ${sessionId}'s host`);
    },

    async teardown(sessionId) {
      reachable();
      endTerminals(sessionId);
      if (sessions.delete(sessionId)) changed(sessionId);
    },

    async openTerminal(sessionId, container, size) {
      reachable();
      running(sessionId, container);
      const terminal = openFakeTerminal(sessionId, container, size, (line) => {
        if (!sessions.get(sessionId)?.containers.get(container)?.running) {
          return Promise.reject(new LabObjectMissingError(`container ${container}`));
        }
        return runIn(sessionId, container, ["sh", "-c", line], 10_000);
      });
      terminals.push(terminal);
      return terminal;
    },

    async run(sessionId, container, argv, runOptions = {}) {
      reachable();
      running(sessionId, container);
      return runIn(sessionId, container, argv, runOptions.timeoutMs ?? 10_000);
    },

    async runProbes(sessionId, container, commands, probeOptions) {
      reachable();
      running(sessionId, container);
      // What one exec per probe would answer, one after another, each cut like the engine's batch.
      const results: ProbeResult[] = [];
      for (const command of commands) {
        results.push(
          await runIn(sessionId, container, ["sh", "-c", command], probeOptions.timeoutMs).then(
            ({ output }) => ({ output: Buffer.from(output).subarray(0, probeOptions.outputLimit).toString("utf8") }),
            (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
          ),
        );
      }
      return results;
    },

    async inspectContainer(sessionId, container) {
      reachable();
      const found = sessions.get(sessionId)?.containers.get(container);
      return found && { running: found.running, networkMode: found.networkMode };
    },

    async networkView(sessionId) {
      reachable();
      const session = sessions.get(sessionId);
      if (!session || session.networks.size === 0) return [];
      const own: NetworkViewEntry[] = [...session.networks].map(([name, n]) => ({
        id: n.id.slice(0, 12),
        name,
        driver: name === DEFAULT_NETWORK ? "bridge" : n.driver,
        scope: n.driver === "overlay" ? "swarm" : "local",
      }));
      const builtIns: NetworkViewEntry[] = [
        {
          id: (session.containers.get(SESSION_HOST)?.id ?? hexId(sessionId, "host")).slice(0, 12),
          name: "host",
          driver: "host",
          scope: "local",
        },
        { id: hexId(sessionId, "none").slice(0, 12), name: "none", driver: "null", scope: "local" },
      ];
      return [...own, ...builtIns].sort((a, b) => a.name.localeCompare(b.name));
    },

    async containerView(sessionId) {
      reachable();
      const containers = [...(sessions.get(sessionId)?.containers ?? [])]; // a Map keeps creation order
      return containers
        .filter(([, c]) => c.role === "learner")
        .map(([name, c]) => ({ name, networkMode: c.networkMode, running: c.running }));
    },

    async topologyView(sessionId) {
      reachable();
      const session = sessions.get(sessionId);
      if (!session) return { namespaces: [], networks: [], dns: [] };
      // Addressing like the adapter's: the default bridge a /16 with the session host's docker0 at .1,
      // user networks /24s with the session host at .254; containers numbered from .2 in creation order.
      const names = [...session.networks.keys()].sort((a, b) => (a === DEFAULT_NETWORK ? -1 : b === DEFAULT_NETWORK ? 1 : 0));
      const prefixOf = (net: string) => (net === DEFAULT_NETWORK ? "10.0.0" : `172.30.${names.indexOf(net)}`);
      const networks = names.map((name) => ({
        name,
        driver: name === DEFAULT_NETWORK ? "bridge" : session.networks.get(name)!.driver,
        subnet: name === DEFAULT_NETWORK ? "10.0.0.0/16" : `${prefixOf(name)}.0/24`,
        gateway: `${prefixOf(name)}.1`,
      }));
      const leg = (iface: string, net: string, ip: string, bits: number): InterfaceView => ({
        name: iface,
        mac: macOf(ip),
        ipv4: [`${ip}/${bits}`],
        network: net,
        up: true,
      });
      const lo: InterfaceView = { name: "lo", ipv4: ["127.0.0.1/8"], up: true };
      const interfaces = new Map<string, InterfaceView[]>();
      const next = new Map<string, number>();
      const hostLegs = names.flatMap((net, i) =>
        net === DEFAULT_NETWORK
          ? [leg("docker0", net, `${prefixOf(net)}.1`, 16)]
          : [leg(`eth${i}`, net, `${prefixOf(net)}.254`, 24)],
      );
      interfaces.set(SESSION_HOST, [lo, ...hostLegs, { ...leg("eth0", "", "192.168.65.3", 28), network: undefined }]);
      const containers = [...session.containers].map(([name, c]) => {
        const role = c.role === "host" || c.role === "dns" ? c.role : ("learner" as const);
        if (role === "dns") interfaces.set(name, [lo, leg("eth0", DEFAULT_NETWORK, "10.0.255.253", 16)]);
        const mode = c.networkMode;
        if (role === "learner" && mode !== NO_NETWORK && session.networks.has(mode)) {
          const n = (next.get(mode) ?? 1) + 1;
          next.set(mode, n);
          interfaces.set(name, [lo, leg("eth0", mode, `${prefixOf(mode)}.${n}`, mode === DEFAULT_NETWORK ? 16 : 24)]);
        } else if (role === "learner" && mode === NO_NETWORK) interfaces.set(name, [lo]);
        const resolvers = role !== "learner" ? ["127.0.0.1"] : mode === DEFAULT_NETWORK ? ["10.0.0.1"] : undefined;
        return { name, role, networkMode: mode, running: c.running, resolvers: mode === NO_NETWORK ? [] : resolvers };
      });
      return buildTopology({ containers, interfaces, networks });
    },

    watch(listener) {
      listeners.add(listener);
      return {
        async stop() {
          listeners.delete(listener);
        },
      };
    },

    async networkDrivers() {
      reachable();
      return [...drivers];
    },

    async engineId() {
      reachable();
      return options.engineId ?? FAKE_ENGINE_ID;
    },

    async countContainers() {
      reachable();
      return [...sessions.values()].reduce((sum, session) => sum + session.containers.size, 0);
    },

    async listSessionObjects(sessionId) {
      reachable();
      const session = sessions.get(sessionId);
      return {
        containers: [...(session?.containers.keys() ?? [])].map((name) => `fake-${sessionId}-${name}`).sort(),
        networks: [...(session?.networks.keys() ?? [])].map((name) => `fake-${sessionId}-net-${name}`).sort(),
      };
    },

    async listSessionsWithObjects() {
      reachable();
      return [...sessions.keys()];
    },

    async close() {},
  };
}
