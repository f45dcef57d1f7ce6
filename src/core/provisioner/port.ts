// The provisioner port: everything the worker's core needs from a container engine.
// The Docker adapter (provisioner/docker) is the only implementation that touches dockerode.
import type { Duplex } from "node:stream";
import type { LabContainer, LabNetwork } from "~/core/labs/schema";
import type { TerminalSize } from "~/protocol/terminalProtocol";
import type { ContainerViewEntry, NetworkViewEntry, TopologyView } from "~/core/sessions/engineView";

/** What a session runs: its own networks and containers, in the learner's names. */
export type SessionSpec = {
  sessionId: string;
  networks: LabNetwork[];
  containers: LabContainer[];
  labDns: boolean;
};

export type SessionObjects = { containers: string[]; networks: string[] };

/** One row of the session's `docker network ls` (its schema: LabSession.engineView's). */
export type { NetworkViewEntry };

/** One of the session's containers as its terminal tabs show it (its schema: LabSession.engineView's). */
export type { ContainerViewEntry };

/** The session's namespaces, interfaces, network addressing and DNS targets (its schema: LabSession.engineView's). */
export type { TopologyView };

export type RunResult = { exitCode: number; output: string };

/** One probe of a batch (runProbes): its output (stdout and stderr, cut), or why it has none. */
export type ProbeResult = { output: string } | { error: string };

/** A batch's bounds: each probe's time, and its output's size in bytes (cut beyond, in the container). */
export type ProbeOptions = { timeoutMs: number; outputLimit: number };

/** A shell attached to a TTY in a lab container. */
export interface TerminalStream {
  /** Raw bytes both ways: write keystrokes, read screen output. */
  stream: Duplex;
  resize(size: TerminalSize): Promise<void>;
  /** Ends the shell and everything it started; safe to call twice. */
  close(): Promise<void>;
}

export type EngineListener = { changed(sessionId: string): void; resynced(): void };

export interface Provisioner {
  /** Throws LabHostUnavailableError when the engine cannot be reached. */
  ping(): Promise<void>;
  /** Creates what is missing and adopts what exists; safe to repeat. Throws SpecError for a bad spec. */
  provision(spec: SessionSpec): Promise<void>;
  /**
   * Serves what a provisioned session needs from this process besides its engine objects (its
   * Docker API endpoint), as provision does: for a worker that restarted. Safe to repeat. Throws
   * LabObjectMissingError when the session has nothing on this engine.
   */
  resume(sessionId: string): Promise<void>;
  /** Removes every object labelled with the session; safe to repeat. */
  teardown(sessionId: string): Promise<void>;
  /** A shell in one of the session's containers ("host" is the session host). */
  openTerminal(sessionId: string, container: string, size: TerminalSize): Promise<TerminalStream>;
  /** Runs a platform-chosen command (never a learner's) in a session container and collects its output. */
  run(sessionId: string, container: string, argv: string[], options?: { timeoutMs?: number }): Promise<RunResult>;
  /**
   * Runs platform-chosen shell commands (`sh -c`, never a learner's) in one session container, one
   * after another, in one engine call: each bounded by its time (its processes do not outlive it) and
   * its output cut to the limit. A probe that did not finish says so in its result. Throws
   * LabObjectMissingError, as run does, when the container is not running.
   */
  runProbes(sessionId: string, container: string, commands: string[], options: ProbeOptions): Promise<ProbeResult[]>;
  /** A session container's state in the learner's terms (network mode "host", "container:busybox1", …). */
  inspectContainer(sessionId: string, container: string): Promise<{ running: boolean; networkMode: string } | undefined>;
  /** The session's networks as `docker network ls` would list them: built-ins plus its own. */
  networkView(sessionId: string): Promise<NetworkViewEntry[]>;
  /**
   * The session's learner-visible containers (the lab's and those the learner created; never the
   * session host or the lab DNS), in creation order, network modes in the learner's words.
   */
  containerView(sessionId: string): Promise<ContainerViewEntry[]>;
  /**
   * The session's network namespaces (the session host's, the lab DNS's, each learner container's;
   * `container:` and host-mode containers as members of the namespace they joined; `none` alone)
   * with their interfaces (name, IPv4, MAC, the session network each is a leg of), its networks'
   * subnets and gateways, and where each learner container's DNS questions go.
   */
  topologyView(sessionId: string): Promise<TopologyView>;
  /**
   * Follows the engine's changes to this installation's sessions (containers created, started,
   * stopped or removed; networks created, removed, connected or disconnected): `changed` names
   * the session, soon after; `resynced` says changes may have been missed (the engine's stream
   * was re-established) and every session should be re-read. Until `stop`.
   */
  watch(listener: EngineListener): { stop(): Promise<void> };
  /** Network drivers the engine supports, as `docker info` reports them. */
  networkDrivers(): Promise<string[]>;
  /** The engine's own id (`docker info` ID): which engine holds a worker's sessions (the Worker registry). */
  engineId(): Promise<string>;
  /** Containers of this installation on the engine (created, running or stopped): the worker's load. */
  countContainers(): Promise<number>;
  /** Engine names of the objects labelled with the session. */
  listSessionObjects(sessionId: string): Promise<SessionObjects>;
  /** Ids of every session of this installation that has objects on this engine. */
  listSessionsWithObjects(): Promise<string[]>;
  /** Stops serving the sessions this provisioner serves (the worker stopping); engine objects stay. */
  close(): Promise<void>;
}

export class LabHostUnavailableError extends Error {
  constructor(reason: string) {
    super(`lab host unavailable: ${reason}`);
    this.name = "LabHostUnavailableError";
  }
}

export class LabObjectMissingError extends Error {
  constructor(what: string) {
    super(`${what} is not running in this session`);
    this.name = "LabObjectMissingError";
  }
}

/** The lab asks for something invalid or beyond its limits; retrying will not help. */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecError";
  }
}
