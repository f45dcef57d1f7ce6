// The socket.io vocabulary between the browser's terminal and the worker's gateway. Every event
// is named and typed here; every payload a client sends is validated with these schemas.
//
// Output carries `seq`: the terminal's output offset (total characters) at the end of the chunk.
// Clients acknowledge what they have rendered (flow control) and, when they reconnect, say the
// offset they have (`resumeFrom`) to get exactly what they missed, or a snapshot of the screen.
// Input carries a per-client `seq` so a keystroke resent after a reconnect is applied once.
import { z } from "zod";
import { containerNameSchema, ifaceNameSchema } from "~/protocol/labNames";
import type { TerminalRole } from "~/protocol/roles";

export const TERMINAL_NAMESPACE = "/terminal";

// The role vocabulary is roles.ts's; re-exported for the terminal's own users.
export { terminalRoleSchema, type TerminalRole } from "~/protocol/roles";

/** Sent in the socket.io handshake (`auth`). Who is connecting comes from the token alone. */
export const handshakeSchema = z.object({
  token: z.string().min(1),
  sessionId: z.uuid(),
  terminal: containerNameSchema,
  resumeFrom: z.number().int().nonnegative().optional(),
});
export type Handshake = z.infer<typeof handshakeSchema>;

export const MAX_INPUT_BYTES = 16 * 1024;
export const inputSchema = z.object({ seq: z.number().int().positive(), data: z.string().min(1).max(MAX_INPUT_BYTES) });
/** A 4K screen with a small font is about 550×145; the server's screen costs grow with the size. */
export const MAX_TERMINAL_SIZE = { cols: 500, rows: 200 } as const;
export const MIN_TERMINAL_SIZE = { cols: 2, rows: 2 } as const;
export const resizeSchema = z.object({
  cols: z.number().int().min(MIN_TERMINAL_SIZE.cols).max(MAX_TERMINAL_SIZE.cols),
  rows: z.number().int().min(MIN_TERMINAL_SIZE.rows).max(MAX_TERMINAL_SIZE.rows),
});
export const ackSchema = z.object({ seq: z.number().int().nonnegative() });
export type TerminalSize = z.infer<typeof resizeSchema>;

export type InputMessage = z.infer<typeof inputSchema>;
export type AckMessage = z.infer<typeof ackSchema>;

/** Every event a client may send; the gateway refuses any other as unknown. */
export const CLIENT_EVENTS = ["input", "resize", "ack", "takeover", "release"] as const;
export type ClientEvent = (typeof CLIENT_EVENTS)[number];

export function isClientEvent(event: string): event is ClientEvent {
  return (CLIENT_EVENTS as readonly string[]).includes(event);
}

/** The arguments of each event in CLIENT_EVENTS (an event missing here does not compile). */
type ClientEventArgs = {
  input: [message: InputMessage];
  resize: [size: TerminalSize];
  ack: [message: AckMessage];
  /** Instructors only: make everyone else read-only until `release`. */
  takeover: [];
  release: [];
};

export type ClientToServerEvents = { [E in ClientEvent]: (...args: ClientEventArgs[E]) => void };

/**
 * What everyone connected sees of each other: a display handle and an opaque connection id that
 * grants nothing. Never a user id, a client id or a credential.
 */
export type PresenceClient = { id: string; handle: string; role: TerminalRole };

export type Presence = {
  clients: PresenceClient[];
  lastTypist: { handle: string; at: number } | null;
  size: TerminalSize;
  /** The handle of the instructor who took over, or null. */
  lockedBy: string | null;
};

/**
 * Why a terminal's shell ended, and whether reconnecting opens a new one. `resume` (only ever true):
 * the lab host is restarting (a drain); the client reconnects by itself, with backoff and a fresh
 * token each time, until the host is back.
 */
export type TerminalExit = { reason: string; reopen: boolean; resume?: true };

export type TerminalErrorCode = "bad-request" | "read-only" | "rate-limited" | "unavailable";
/** Something the gateway refused or could not do, and why, in words for the person. */
export type TerminalError = { code: TerminalErrorCode; message: string };

export interface ServerToClientEvents {
  /** The whole screen and recent scrollback; the client resets and writes it. */
  snapshot: (message: {
    data: string;
    seq: number;
    cols: number;
    rows: number;
    inputSeq: number;
    role: TerminalRole;
    /** This connection's id in presence. */
    you: string;
  }) => void;
  output: (message: { seq: number; data: string }) => void;
  inputAck: (message: { seq: number }) => void;
  presence: (presence: Presence) => void;
  /**
   * The shell ended and the client is disconnected. `reopen`: the shell simply exited and its
   * container still runs, so reconnecting opens a new shell; false when the container stopped or
   * was removed, or the session ended. `resume`: the lab host is restarting; the client reconnects by itself.
   */
  exit: (info: TerminalExit) => void;
  error: (info: TerminalError) => void;
}

/**
 * The refusals (their `data.reason`) after which a browser waits and reconnects by itself with a fresh
 * token (the resume loop): the session was placed on another lab host, or this one is restarting.
 */
export const RESUMABLE_REFUSALS = ["other-worker", "restarting"] as const;
export type ResumableRefusal = (typeof RESUMABLE_REFUSALS)[number];
export const isResumableRefusal = (reason: string | undefined): reason is ResumableRefusal =>
  (RESUMABLE_REFUSALS as readonly (string | undefined)[]).includes(reason);

/** Reasons the gateway refuses a connection, sent as the connect_error message. */
export const refusal = {
  badHandshake: "bad handshake: expected { token, sessionId, terminal, resumeFrom? }",
  otherSession: "terminal token was issued for another session or terminal",
  otherWorker: "this lab session runs on another lab host: ask for a new terminal token, which names that host",
  restarting: "this lab host is restarting: try again in a few seconds",
  sessionNotReady: "this lab session is not running, or you are no longer a member of it",
  originNotAllowed: "origin not allowed",
  tooManyClients: "this terminal already has the maximum number of people connected",
  tooManyTerminals: "this session already has the maximum number of open terminals",
  reconnectingTooFast: "reconnecting too often: wait a few seconds before trying again",
  wrongNamespace: "connect to the /terminal namespace with a terminal token",
  floodDisconnected: "too many messages too fast: disconnected; reconnect in a few seconds",
} as const;

// ---------------------------------------------------------------------------------------------
// Capture (`/capture` namespace, the same socket.io server and browser Manager as terminals).
// A capture is tcpdump in a helper container joined to one session container's network namespace;
// the worker decodes the packets and fans them out to the session's members. Who may start or stop
// one comes from the capture token's role (owner, driver, instructor; a viewer only watches).

export const CAPTURE_NAMESPACE = "/capture";

/**
 * What a capture names: a container of the session (learner-made, the lab's), `host` (the session
 * host) or `dns` (the lab's DNS server when the lab has one).
 */
export const captureContainerSchema = containerNameSchema;

export const captureHandshakeSchema = z.object({ token: z.string().min(1), sessionId: z.uuid() });
export type CaptureHandshake = z.infer<typeof captureHandshakeSchema>;

export const captureIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/, "capture id: as listed in `captures`");
export const captureStartSchema = z.object({ container: captureContainerSchema, iface: ifaceNameSchema });
export const captureStopSchema = z.object({ captureId: captureIdSchema });
export const captureSubscribeSchema = z.object({ captureId: captureIdSchema });
export type CaptureStart = z.infer<typeof captureStartSchema>;
export type CaptureStop = z.infer<typeof captureStopSchema>;
export type CaptureSubscribe = z.infer<typeof captureSubscribeSchema>;

/** One decoded layer as the detail pane shows it. */
export type PacketLayer = { name: string; fields: { name: string; value: string }[] };

/**
 * One captured frame, decoded (src/core/capture/decode.ts). `ts` is microseconds since the epoch;
 * `len` the frame's length on the wire, `caplen` the bytes captured (≤ snaplen). `protocol` and
 * `info` are Wireshark-like; the optional fields are structured facts for checks.
 */
export type DecodedPacket = {
  no: number;
  ts: number;
  len: number;
  caplen: number;
  src: string;
  dst: string;
  protocol: "ARP" | "ICMP" | "UDP" | "TCP" | "DNS" | "HTTP" | "IPv4" | "IPv6" | "Ethernet" | (string & {});
  info: string;
  layers: PacketLayer[];
  eth?: { src: string; dst: string; type: number };
  arp?: { op: "request" | "reply" | (string & {}); senderIp: string; senderMac: string; targetIp: string; targetMac: string };
  ipv4?: { src: string; dst: string; ttl: number; protocol: number };
  icmp?: { type: number; code: number; kind: "echo-request" | "echo-reply" | (string & {}); id?: number; seq?: number };
  udp?: { srcPort: number; dstPort: number };
  tcp?: { srcPort: number; dstPort: number; flags: string };
  dns?: {
    qr: "query" | "response";
    id: number;
    questions: { name: string; type: string }[];
    answers: { name: string; type: string; data: string }[];
  };
  http?: { startLine: string; headers: [string, string][] };
};

/**
 * The most packets in one `packets` message: each packet's bytes are a binary attachment, and
 * socket.io's parser refuses a message of more than 10 attachments (its default `maxAttachments`,
 * in the browser too) as a "parse error" that drops the connection.
 */
export const CAPTURE_PACKETS_PER_MESSAGE = 10;

/** A decoded packet with the bytes captured, as `packets` carries it (the .pcap download and hex view). */
export type CapturedPacket = DecodedPacket & { data: Uint8Array };

export type CaptureState = "running" | "ended";
export type CaptureInfo = {
  id: string;
  container: string;
  iface: string;
  /** The display handle of who started it. */
  startedBy: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  state: CaptureState;
  /** Why it ended, in words for the person (when `state` is "ended"). */
  reason?: string;
  packets: number;
  bytes: number;
};

/** Every event a capture client may send; the gateway refuses any other as unknown. */
export const CAPTURE_CLIENT_EVENTS = ["start", "stop", "subscribe"] as const;
export type CaptureClientEvent = (typeof CAPTURE_CLIENT_EVENTS)[number];
export function isCaptureClientEvent(event: string): event is CaptureClientEvent {
  return (CAPTURE_CLIENT_EVENTS as readonly string[]).includes(event);
}

/** The answer to `start` / `stop`: the capture's id, or why not. */
export type CaptureAck = { ok: true; captureId: string } | { ok: false; error: TerminalError };

type CaptureClientEventArgs = {
  start: [request: CaptureStart, ack: (answer: CaptureAck) => void];
  stop: [request: CaptureStop, ack: (answer: CaptureAck) => void];
  subscribe: [request: CaptureSubscribe];
};
export type CaptureClientToServerEvents = {
  [E in CaptureClientEvent]: (...args: CaptureClientEventArgs[E]) => void;
};

export interface CaptureServerToClientEvents {
  /** Every capture of the session (running and recently ended), on connect and on each change. */
  captures: (list: CaptureInfo[]) => void;
  /**
   * Packets of a subscribed capture, batched every 100 ms, at most CAPTURE_PACKETS_PER_MESSAGE per
   * message. `from` is the `no` of the first packet in the message; a new subscriber first gets
   * everything kept, then live packets, in order.
   */
  packets: (message: { captureId: string; from: number; packets: CapturedPacket[] }) => void;
  error: (info: TerminalError) => void;
}

/** Reasons the gateway refuses a capture connection (connect_error message). */
export const captureRefusal = {
  badHandshake: "bad handshake: expected { token, sessionId }",
  wrongToken: "connect to the /capture namespace with a capture token (capture.token)",
  otherSession: "capture token was issued for another session",
} as const;
