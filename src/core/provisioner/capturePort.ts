// What packet capture needs from an engine: start tcpdump in a helper that joins the network
// namespace of one container of one session, read its pcap stream, and remove the helper. The
// Docker adapter is worker/provisioner/docker/capture.ts; the worker's capture manager uses this port.

export type CaptureTarget = {
  sessionId: string;
  /** A container of the session in the learner's words: a learner's or lab's, `host` or `dns`. */
  container: string;
  /** An interface of that container's network namespace (already checked with ifaceNameSchema). */
  iface: string;
  snaplen: number;
  /** A BPF filter tcpdump applies in the kernel (rolling captures: only what checks read); none: everything. */
  filter?: string;
};

/** Where a running capture's bytes go. `ended` is called once, after the last `data`. */
export type CaptureSink = {
  /** A chunk of the pcap stream (global header first, then records), in order. */
  data(chunk: Buffer): void;
  /** The helper stopped by itself (its container or interface went away, the engine stopped it). */
  ended(reason: string): void;
};

export type RunningCapture = {
  /** The helper container's engine name (for logs and tests). */
  helper: string;
  /** Removes the helper (idempotent); `ended` is not called after it. */
  stop(): Promise<void>;
};

/** A capture the request cannot have: the message says what was wrong and what is accepted. */
export class CaptureRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CaptureRefused";
  }
}

export interface CapturePort {
  /**
   * Starts a capture and resolves once tcpdump listens. Rejects with CaptureRefused when the session
   * has no such running container (another session's answers the same) or its namespace has no
   * such interface; any other error is the engine's.
   */
  start(target: CaptureTarget, sink: CaptureSink): Promise<RunningCapture>;
  /**
   * Removes every capture helper of the session left on the engine, or with no session every one of
   * this installation (a worker starting after a crash).
   */
  removeAll(sessionId?: string): Promise<void>;
  /** Whether the container a capture named still runs (an engine change may have removed or stopped it). */
  isRunning(sessionId: string, container: string): Promise<boolean>;
}
