// The engine's event stream, narrowed to what changes a session's engine view: its containers
// (created, started, died, removed, renamed) and networks (created, removed, connected,
// disconnected), of this installation only. Re-established with backoff when the engine restarts;
// every (re)connection says `resynced` (what happened meanwhile was not heard).
import type Docker from "dockerode";
import type { EngineListener } from "~/core/provisioner/port";
import { logger } from "~/core/log";
import { labelOf, sessionOfNetworkName } from "./names";

const log = logger.child({ component: "engine-events" });

const EVENTS = ["create", "start", "die", "destroy", "rename", "connect", "disconnect"];
/** A line longer than this is not an event of ours: dropped, not buffered. */
const MAX_LINE = 64 * 1024;
const BACKOFF = { firstMs: 250, maxMs: 10_000, /** a stream that lived this long resets the backoff */ healthyMs: 5_000 };

type EngineEvent = { Type?: string; Action?: string; Actor?: { Attributes?: Record<string, string> } };

/** The session an event is about, when it is one of this installation's (networks: by their engine name). */
export function sessionOfEvent(event: EngineEvent, installationId: string): string | undefined {
  const attributes = event.Actor?.Attributes ?? {};
  if (event.Type === "container") {
    if (labelOf(attributes, "installation") !== installationId) return undefined;
    return labelOf(attributes, "session");
  }
  if (event.Type === "network") return sessionOfNetworkName(attributes.name ?? "");
  return undefined;
}

/** Splits a stream's chunks into lines, bounded: an overlong line is dropped. */
function lineReader(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = "";
  return (chunk) => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    if (pending.length > MAX_LINE) pending = "";
    for (const line of lines) if (line.trim()) onLine(line);
  };
}

export function watchEngineEvents(docker: Docker, installationId: string, listener: EngineListener): { stop(): Promise<void> } {
  let stopped = false;
  let stream: NodeJS.ReadableStream | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;

  const onLine = (line: string) => {
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      return;
    }
    const sessionId = sessionOfEvent(event, installationId);
    if (sessionId) listener.changed(sessionId);
  };

  const reconnectLater = () => {
    if (stopped || retry) return;
    const waitMs = Math.min(BACKOFF.firstMs * 2 ** failures, BACKOFF.maxMs);
    failures++;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, waitMs);
    retry.unref();
  };

  async function connect() {
    if (stopped) return;
    let opened: NodeJS.ReadableStream;
    try {
      opened = (await docker.getEvents({
        filters: { type: ["container", "network"], event: EVENTS },
      })) as NodeJS.ReadableStream;
    } catch (error) {
      if (failures === 0)
        log.warn({ err: error }, `the engine's event stream is unavailable; retrying: ${(error as Error).message}`);
      reconnectLater();
      return;
    }
    if (stopped) return destroy(opened);
    stream = opened;
    const since = Date.now();
    let ended = false;
    const onEnd = () => {
      if (ended || stream !== opened) return;
      ended = true;
      stream = undefined;
      if (Date.now() - since >= BACKOFF.healthyMs) failures = 0;
      reconnectLater();
    };
    opened.on("data", lineReader(onLine));
    opened.on("end", onEnd);
    opened.on("close", onEnd);
    opened.on("error", onEnd);
    listener.resynced();
  }

  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      if (stream) destroy(stream);
      stream = undefined;
    },
  };
}

function destroy(stream: NodeJS.ReadableStream) {
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}
