// Limits that hold before and beside authentication: how many connections one address and the
// whole gateway keep open, how long a connection may stay without joining the terminal namespace,
// and how many messages and bytes a connection may send, counted as they arrive (before socket.io
// decodes them), so a flood of any event, binary included, is cut off early.
import type { IncomingMessage } from "node:http";
import type { Server, Socket } from "socket.io";
import { TokenBucket } from "./rateLimit";

export const gatewayLimits = {
  /** A classroom behind one NAT address is one address: generous, but bounded. */
  connectionsPerAddress: 300,
  connections: 10_000,
  /** A connection that has not joined /terminal by then is closed. */
  joinWithinMs: 10_000,
  /** Per connection, sustained: far above a browser's (keystrokes, acks every 20 ms, resizes). */
  messagesPerSecond: 500,
  bytesPerSecond: 256 * 1024,
  /** Bursts: a window dragged or a paste; past them a flood is cut off in well under a second. */
  messageBurst: 10_000,
  byteBurst: 1024 * 1024,
};

const addressOf = (req: IncomingMessage) => req.socket.remoteAddress ?? "unknown";

export class ConnectionCounter {
  private readonly perAddress = new Map<string, number>();
  private total = 0;

  /** Why a new connection from this request is refused, or null. */
  refusal(req: IncomingMessage): string | null {
    if (this.total >= gatewayLimits.connections) return "the terminal service is at its connection limit; try again shortly";
    if ((this.perAddress.get(addressOf(req)) ?? 0) >= gatewayLimits.connectionsPerAddress) {
      return "too many open connections from your address; close some terminals";
    }
    return null;
  }

  /** Counts the server's connections while they are open. */
  track(io: Server) {
    io.engine.on("connection", (raw: { request: IncomingMessage; once(event: "close", fn: () => void): void }) => {
      const address = addressOf(raw.request);
      this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
      this.total++;
      raw.once("close", () => {
        const left = (this.perAddress.get(address) ?? 1) - 1;
        if (left > 0) this.perAddress.set(address, left);
        else this.perAddress.delete(address);
        this.total--;
      });
    });
  }
}

/** Calls `onExceeded` (once) when the socket sends more messages or bytes than its budget. */
export function limitMessages(socket: Socket, onExceeded: () => void) {
  const messages = new TokenBucket(gatewayLimits.messagesPerSecond, gatewayLimits.messageBurst);
  const bytes = new TokenBucket(gatewayLimits.bytesPerSecond, gatewayLimits.byteBurst);
  const onPacket = (packet: { type: string; data?: unknown }) => {
    if (packet.type !== "message") return;
    const data = packet.data;
    const size = typeof data === "string" ? data.length : data instanceof Uint8Array ? data.byteLength : 0;
    if (messages.take(1) && bytes.take(size)) return;
    socket.conn.off("packet", onPacket);
    onExceeded();
  };
  socket.conn.on("packet", onPacket);
}
