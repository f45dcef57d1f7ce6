// The two ways the capture benchmark reads a capture of one interface: through the worker (its
// `/capture` namespace, as a browser: a socket.io client counting the decoded packets it receives),
// or raw (tcpdump in the same helper image, with the same limits as the worker's helper, read
// through a raw dockerode attach stream, counting the pcap records). Both count packets and note
// when the last one arrived.
import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { io, type Socket } from "socket.io-client";
import { PcapStreamParser } from "~/core/capture/pcap";
import { signCaptureToken } from "~/core/sessions/captureToken";
import {
  CAPTURE_NAMESPACE,
  type CaptureClientToServerEvents,
  type CaptureInfo,
  type CaptureServerToClientEvents,
  type TerminalError,
} from "~/protocol/terminalProtocol";

/** A capture being counted: packets seen, when the last arrived (performance.now()), and how to end it. */
export type Tap = {
  count: () => number;
  lastAt: () => number;
  bytes: () => number;
  /** Why the capture ended by itself (a limit, the helper's exit), if it did. */
  ended: () => string | undefined;
  close: () => Promise<void>;
};

type CaptureSocket = Socket<CaptureServerToClientEvents, CaptureClientToServerEvents>;

/** A driver's capture connection to the worker, with a token signed as the web would. */
export async function captureSocket(secret: string, port: number, sessionId: string, owner: string): Promise<CaptureSocket> {
  const token = await signCaptureToken(secret, { sub: owner, sid: sessionId, role: "driver", handle: "bench" });
  const socket: CaptureSocket = io(`http://127.0.0.1:${port}${CAPTURE_NAMESPACE}`, {
    auth: { token, sessionId },
    transports: ["websocket"],
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Starts a capture through the worker and counts what reaches this client (the browser's side). */
export async function gatewayTap(socket: CaptureSocket, container: string, iface: string): Promise<Tap> {
  const ack = await socket.timeout(30_000).emitWithAck("start", { container, iface });
  if (!ack.ok) throw new Error(`the worker refused the capture: ${ack.error.message}`);
  const { captureId } = ack;
  let count = 0;
  let bytes = 0;
  let lastAt = performance.now();
  const onPackets = (m: Parameters<CaptureServerToClientEvents["packets"]>[0]) => {
    if (m.captureId !== captureId) return;
    count += m.packets.length;
    for (const p of m.packets) bytes += p.data.byteLength;
    lastAt = performance.now();
  };
  let ended: string | undefined;
  const onCaptures = (list: CaptureInfo[]) => {
    const mine = list.find((c) => c.id === captureId);
    if (mine?.state === "ended") ended ??= mine.reason ?? "ended";
  };
  const onError = (e: TerminalError) => (ended ??= `error: ${e.message}`);
  socket.on("packets", onPackets);
  socket.on("captures", onCaptures);
  socket.on("error", onError);
  socket.emit("subscribe", { captureId });
  return {
    count: () => count,
    bytes: () => bytes,
    lastAt: () => lastAt,
    ended: () => ended,
    close: async () => {
      socket.off("captures", onCaptures);
      socket.off("error", onError);
      const stopped = await socket.timeout(30_000).emitWithAck("stop", { captureId });
      socket.off("packets", onPackets);
      if (!stopped.ok) throw new Error(`stopping the capture failed: ${stopped.error.message}`);
    },
  };
}

/**
 * tcpdump in `image`, joined to `targetId`'s namespace with the worker helper's limits (0.5 CPU at
 * CPU shares 256, 48 MiB, NET_RAW + SETGID only, read-only root), its pcap stream read through a raw attach.
 * Resolves once tcpdump says it is listening.
 */
export async function rawTap(docker: Docker, image: string, targetId: string, iface: string, snaplen = 1500): Promise<Tap> {
  const memory = 48 * 1024 * 1024;
  const helper = await docker.createContainer({
    name: `b2-bench-raw-${randomUUID().slice(0, 8)}`,
    Image: image,
    Cmd: ["tcpdump", "-i", iface, "-U", "-w", "-", "-s", String(snaplen), "-n", "--immediate-mode", "-Z", "root"],
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: {
      NetworkMode: `container:${targetId}`,
      CapDrop: ["ALL"],
      CapAdd: ["NET_RAW", "SETGID"],
      SecurityOpt: ["no-new-privileges"],
      ReadonlyRootfs: true,
      Memory: memory,
      MemorySwap: memory,
      PidsLimit: 8,
      NanoCpus: 500_000_000,
      CpuShares: 256,
      LogConfig: { Type: "none", Config: {} },
    },
  });
  const stream = await helper.attach({ stream: true, stdout: true, stderr: true });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  docker.modem.demuxStream(stream, stdout, stderr);
  const parser = new PcapStreamParser();
  let count = 0;
  let bytes = 0;
  let lastAt = performance.now();
  stdout.on("data", (chunk: Buffer) => {
    const records = parser.push(chunk);
    if (records.length === 0) return;
    count += records.length;
    for (const r of records) bytes += r.data.length;
    lastAt = performance.now();
  });
  let said = "";
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`raw tcpdump did not start listening: ${said}`)), 15_000);
    stderr.on("data", (chunk: Buffer) => {
      said = (said + chunk.toString()).slice(-2000);
      if (said.includes("listening on ")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await helper.start();
  await listening;
  return {
    count: () => count,
    bytes: () => bytes,
    lastAt: () => lastAt,
    ended: () => undefined,
    close: async () => {
      await helper.remove({ force: true });
    },
  };
}
