// The browser's capture client against a real socket.io server on loopback standing in for the
// worker's /capture namespace: the handshake, the captures list and which one the panel shows,
// following a capture (everything kept, then live, binary bytes as Uint8Array), start/stop acks,
// a reconnection with a fresh token that follows again, and one socket shared with the terminals.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket as ServerSocket } from "socket.io";
import { io as ioClient } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../../../../test/support/eventually";
import { CAPTURE_NAMESPACE, TERMINAL_NAMESPACE, type CapturedPacket, type CaptureInfo } from "~/protocol/terminalProtocol";
import { CaptureClient, mergeBatch } from "./captureClient";

const SESSION = "8d0f7f4e-3b7a-4c36-9d7e-2f4a1f0b9c11";
const opened: { io: Server; http: HttpServer }[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  for (const { io } of opened.splice(0)) await new Promise<void>((resolve) => io.close(() => resolve()));
});

const info = (id: string, over: Partial<CaptureInfo> = {}): CaptureInfo => ({
  id,
  container: "busybox2",
  iface: "eth0",
  startedBy: "ana",
  startedAt: 1000,
  state: "running",
  packets: 0,
  bytes: 0,
  ...over,
});
const packet = (no: number): CapturedPacket => ({
  no,
  ts: 1_764_391_512_000_000 + no,
  len: 42,
  caplen: 42,
  src: "172.17.0.2",
  dst: "172.17.0.3",
  protocol: "ICMP",
  info: `Echo (ping) request seq=${no}`,
  layers: [],
  data: new Uint8Array([no, 1, 2]),
});

async function worker() {
  const http = createServer();
  const io = new Server(http);
  const seen = { auth: [] as unknown[], subscribed: [] as string[], connections: [] as ServerSocket[] };
  const list: CaptureInfo[] = [
    info("old", { state: "ended", startedAt: 10, reason: "stopped by ana" }),
    info("live", { startedAt: 20 }),
  ];
  io.of(CAPTURE_NAMESPACE).on("connection", (socket) => {
    seen.auth.push(socket.handshake.auth);
    seen.connections.push(socket);
    socket.emit("captures", list);
    socket.on("subscribe", ({ captureId }: { captureId: string }) => {
      seen.subscribed.push(captureId);
      socket.emit("packets", {
        captureId,
        from: 1,
        packets: [packet(1), packet(2)].map((p) => ({ ...p, data: Buffer.from(p.data) })),
      });
    });
    socket.on("start", (req: { container: string; iface: string }, ack: (a: unknown) => void) => {
      if (req.iface === "docker0")
        return ack({ ok: false, error: { code: "bad-request", message: "busybox2 has no interface docker0" } });
      list.push(info("new", { container: req.container, iface: req.iface, startedAt: 30 }));
      ack({ ok: true, captureId: "new" });
      io.of(CAPTURE_NAMESPACE).emit("captures", list);
    });
    socket.on("stop", ({ captureId }: { captureId: string }, ack: (a: unknown) => void) => {
      const c = list.find((x) => x.id === captureId)!;
      Object.assign(c, { state: "ended", reason: "stopped by ana", packets: 2 });
      ack({ ok: true, captureId });
      io.of(CAPTURE_NAMESPACE).emit("captures", list);
    });
  });
  io.of(TERMINAL_NAMESPACE).on("connection", () => undefined);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  opened.push({ io, http });
  return { io, seen, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

function client(url: string) {
  let minted = 0;
  const c = new CaptureClient(SESSION, async () => ({ token: `t${++minted}`, url }));
  closers.push(() => c.close());
  c.open();
  return c;
}

describe("CaptureClient", () => {
  it("connects with a capture token, shows the newest running capture and receives what it kept as bytes", async () => {
    const w = await worker();
    const c = client(w.url);
    await eventually("connected", () => c.getSnapshot().connection.kind === "connected");
    expect(w.seen.auth).toEqual([{ token: "t1", sessionId: SESSION }]);
    await eventually("following the running capture", () => c.getSnapshot().focusId === "live");
    const got = await eventually(
      "its packets",
      () => c.getSnapshot().packets.get("live")?.length === 2 && c.getSnapshot().packets.get("live"),
    );
    expect(got.map((p) => p.no)).toEqual([1, 2]);
    expect(got[0]!.data).toBeInstanceOf(Uint8Array);
    expect([...got[0]!.data]).toEqual([1, 1, 2]);
    expect(w.seen.subscribed).toEqual(["live"]);
    // Another capture is followed only when asked.
    expect(c.getSnapshot().packets.has("old")).toBe(false);
  });

  it("starts a capture (the panel shows it), reports a refusal in words, stops one and announces both", async () => {
    const w = await worker();
    const c = client(w.url);
    await eventually("connected", () => c.getSnapshot().connection.kind === "connected");
    const refused = await c.start("busybox2", "docker0");
    expect(refused).toEqual({ ok: false, error: { code: "bad-request", message: "busybox2 has no interface docker0" } });
    expect(c.getSnapshot().notice).toBe("busybox2 has no interface docker0");
    expect(await c.start("busybox1", "eth0")).toEqual({ ok: true, captureId: "new" });
    expect(c.getSnapshot().focusId).toBe("new");
    await eventually("announced", () => c.getSnapshot().announcement === "Capture started on busybox1 eth0 by ana.");
    expect(await c.stop("new")).toEqual({ ok: true, captureId: "new" });
    await eventually(
      "ended",
      () => c.getSnapshot().announcement === "Capture on busybox1 eth0 ended: stopped by ana; 2 packets.",
    );
    expect(c.getSnapshot().focusId).toBe("new");
  });

  it("reconnects with a fresh token and follows again, replacing what it had with what the worker resends", async () => {
    const w = await worker();
    const c = client(w.url);
    await eventually("packets", () => c.getSnapshot().packets.get("live")?.length === 2);
    w.seen.connections[0]!.conn.close(); // the connection drops (not a refusal): socket.io reconnects by itself
    await eventually("a second connection", () => w.seen.auth.length === 2);
    expect(w.seen.auth[1]).toEqual({ token: "t2", sessionId: SESSION });
    await eventually("followed again", () => w.seen.subscribed.length === 2);
    await eventually("connected", () => c.getSnapshot().connection.kind === "connected");
    expect(
      c
        .getSnapshot()
        .packets.get("live")!
        .map((p) => p.no),
    ).toEqual([1, 2]);
  });

  it("shares the terminals' connection to the same worker (one Manager, two namespaces)", async () => {
    const w = await worker();
    const terminal = ioClient(`${w.url}${TERMINAL_NAMESPACE}`, { transports: ["websocket"] });
    closers.push(() => terminal.close());
    const c = client(w.url);
    await eventually("connected", () => c.getSnapshot().connection.kind === "connected" && terminal.connected);
    expect(w.io.engine.clientsCount).toBe(1);
  });
});

describe("mergeBatch", () => {
  it("appends a batch that follows, and replaces from `from` on when packets are sent again", () => {
    const list: CapturedPacket[] = [];
    mergeBatch(list, 1, [packet(1), packet(2)]);
    mergeBatch(list, 3, [packet(3)]);
    expect(list.map((p) => p.no)).toEqual([1, 2, 3]);
    mergeBatch(list, 2, [packet(2), packet(3), packet(4)]);
    expect(list.map((p) => p.no)).toEqual([1, 2, 3, 4]);
  });
});
