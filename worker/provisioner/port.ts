// The provisioner port: everything the worker's core needs from a container engine.
// The Docker adapter (provisioner/docker) is the only implementation that touches dockerode.
import type { Duplex } from "node:stream";
import type { LabContainer } from "~/shared/labs";
import type { TerminalSize } from "~/shared/terminal-protocol";

export type SessionSpec = { sessionId: string; containers: LabContainer[] };

export type SessionObjects = { containers: string[]; networks: string[] };

/** A shell attached to a TTY in a lab container. */
export interface TerminalStream {
  /** Raw bytes both ways: write keystrokes, read screen output. */
  stream: Duplex;
  resize(size: TerminalSize): Promise<void>;
  /** Ends the shell and everything it started; safe to call twice. */
  close(): Promise<void>;
}

export interface Provisioner {
  /** Throws LabHostUnavailableError when the engine cannot be reached. */
  ping(): Promise<void>;
  /** Creates what is missing and adopts what exists; safe to repeat. */
  provision(spec: SessionSpec): Promise<void>;
  /** Removes every object labelled with the session; safe to repeat. */
  teardown(sessionId: string): Promise<void>;
  openTerminal(sessionId: string, container: string, size: TerminalSize): Promise<TerminalStream>;
  /** Engine names of the objects labelled with the session. */
  listSessionObjects(sessionId: string): Promise<SessionObjects>;
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
