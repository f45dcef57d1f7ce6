// A /capture client as the browser's panel uses it, for integration tests: connects with a capture
// token, records the capture list, the packets of each subscribed capture and the errors it is sent,
// and starts or stops captures with their acknowledgements.
import { io, type Socket } from "socket.io-client";
import { pcapFile } from "~/protocol/pcap";
import {
  CAPTURE_NAMESPACE,
  type CaptureAck,
  type CapturedPacket,
  type CaptureInfo,
  type TerminalError,
} from "~/protocol/terminalProtocol";
import { eventually, type EventuallyOptions } from "./eventually";
import { within } from "./harness";

export type CaptureClient = {
  socket: Socket;
  /** The last list the server sent. */
  captures: () => CaptureInfo[];
  /** The packets received per capture id, in order (duplicates would show as repeated `no`). */
  packets: (captureId: string) => CapturedPacket[];
  errors: TerminalError[];
  start(container: string, iface: string): Promise<CaptureAck>;
  stop(captureId: string): Promise<CaptureAck>;
  subscribe(captureId: string): void;
  /** Waits until the received packets of the capture satisfy `pick` (the list it is given keeps growing: copy what you keep). */
  waitForPackets<T>(
    captureId: string,
    what: string,
    pick: (p: CapturedPacket[]) => T | undefined | false,
    options?: EventuallyOptions,
  ): Promise<T>;
  waitForCapture(
    captureId: string,
    what: string,
    pick: (c: CaptureInfo) => boolean,
    options?: EventuallyOptions,
  ): Promise<CaptureInfo>;
  close(): void;
};

const ACK_WITHIN_MS = 30_000;

/** Connects; rejects with the server's refusal (connect_error). */
export function connectCapture(port: number, auth: Record<string, unknown>): Promise<CaptureClient> {
  const socket = io(`http://127.0.0.1:${port}${CAPTURE_NAMESPACE}`, {
    auth,
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  let list: CaptureInfo[] = [];
  const received = new Map<string, CapturedPacket[]>();
  const errors: TerminalError[] = [];
  socket.on("captures", (l: CaptureInfo[]) => (list = l));
  socket.on("packets", ({ captureId, packets }: { captureId: string; packets: CapturedPacket[] }) => {
    const mine = received.get(captureId) ?? [];
    // socket.io delivers binary as Buffer in Node: keep it as the Uint8Array the protocol names.
    for (const p of packets) mine.push({ ...p, data: new Uint8Array(p.data) });
    received.set(captureId, mine);
  });
  socket.on("error", (e: TerminalError) => errors.push(e));
  const ask = (event: "start" | "stop", payload: unknown) =>
    within(
      new Promise<CaptureAck>((resolve) => socket.emit(event, payload, resolve)),
      ACK_WITHIN_MS,
      `the ${event} acknowledgement`,
    );
  const client: CaptureClient = {
    socket,
    captures: () => list,
    packets: (id) => received.get(id) ?? [],
    errors,
    start: (container, iface) => ask("start", { container, iface }),
    stop: (captureId) => ask("stop", { captureId }),
    subscribe: (captureId) => socket.emit("subscribe", { captureId }),
    waitForPackets: (id, what, pick, options) => eventually(what, () => pick(received.get(id) ?? []), options),
    waitForCapture: (id, what, pick, options) =>
      eventually(
        what,
        () => {
          const found = list.find((c) => c.id === id);
          return found && pick(found) ? found : undefined;
        },
        options,
      ),
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(client));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The .pcap the browser would download from these packets. */
export function pcapOf(packets: CapturedPacket[], snaplen = 1500): Buffer {
  return Buffer.from(pcapFile(packets, snaplen));
}
