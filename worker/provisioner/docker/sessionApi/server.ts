// A session's Docker API endpoint: a unix socket served by the worker for one session. The real
// Docker CLI in the session host talks to it; it allows a fixed list of calls (routes.ts), answers
// in the session's terms and forwards to the engine only what names the session's own objects.
import { chmod, unlink } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type Docker from "dockerode";
import type { LabImages } from "../containers";
import type { SessionRuntime } from "../learnerObjects";
import { ApiError, badRequest } from "./apiError";
import { sendJson, type Call, type SessionContext } from "./context";
import { toAnswer } from "./errorMap";
import { HANDLERS } from "./handlers";
import { readLinkArgs } from "./handlers/link";
import { TokenBucket } from "../../../gateway/rateLimit";
import { nestsWithin } from "./jsonDepth";
import {
  bodyTooDeep,
  bodyTooLarge,
  DEFAULT_API_LIMITS,
  tooManyConnections,
  tooManyCreates,
  tooManyRequests,
  type ApiLimits,
} from "./limits";
import { refusalMessage, route, type Route } from "./routes";
import { loadScope, type SessionScope } from "./scope";
import { hijack } from "./upgrade";

export type SessionApiOptions = {
  docker: Docker;
  /** The engine's unix socket (docker.modem.socketPath). */
  engineSocket: string;
  sessionId: string;
  installationId: string;
  runtime: SessionRuntime;
  /** What `docker info` reports as the session's machine. */
  limits: { memoryMb: number; ncpu?: number };
  api?: Partial<ApiLimits>;
  images: LabImages;
  log: (line: string) => void;
};

export type SessionApi = { listen(socketPath: string): Promise<void>; close(): Promise<void> };

async function readBody(req: IncomingMessage, limits: ApiLimits): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limits.maxBodyBytes) throw new ApiError(413, bodyTooLarge(limits));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limits.maxBodyBytes) throw new ApiError(413, bodyTooLarge(limits));
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw badRequest("the request body is not JSON");
  }
  if (!nestsWithin(body, limits.maxBodyDepth)) throw badRequest(bodyTooDeep(limits));
  return body;
}

const sendError = (res: ServerResponse, status: number, message: string) => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status === 429) res.shouldKeepAlive = false; // over the rate: the connection ends with this answer
  sendJson(res, status, { message });
};

const rawAnswer = (socket: Socket, status: number, reason: string, message: string) => {
  const body = JSON.stringify({ message }) + "\n";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
};

export function createSessionApi(options: SessionApiOptions): SessionApi {
  const limits: ApiLimits = { ...DEFAULT_API_LIMITS, ...options.api };
  const session: SessionContext = {
    docker: options.docker,
    engineSocket: options.engineSocket,
    sessionId: options.sessionId,
    installationId: options.installationId,
    runtime: options.runtime,
    images: options.images,
    info: { ncpu: options.limits.ncpu ?? 1, memoryBytes: options.limits.memoryMb * 1024 * 1024 },
    execs: new Set(),
  };
  const secrets = [options.installationId];
  const bucket = new TokenBucket(limits.ratePerSecond, limits.burst);
  const pings = new TokenBucket(limits.ratePerSecond, limits.burst);
  const creates = new TokenBucket(limits.createsPerMinute / 60, limits.createBurst);
  const sockets = new Set<Socket>();
  /** Connections answered 429 (over the rate, or over the connection cap): what was pipelined on them is not served. */
  const overRate = new WeakSet<Socket>();

  function callOf(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    r: Route,
    body: unknown,
    holder: { scope?: SessionScope },
  ): Call {
    return {
      session,
      req,
      res,
      route: r,
      url,
      prefix: /^\/v\d+(\.\d+)?(?=\/)/.exec(url.pathname)?.[0] ?? "",
      body,
      scope: async () => (holder.scope = await loadScope(session.docker, session.sessionId)),
      spendCreate: () => {
        if (!creates.take(1)) throw new ApiError(429, tooManyCreates(limits));
      },
    };
  }

  function parse(req: IncomingMessage): { url: URL; r: Route } {
    const url = new URL(req.url ?? "/", "http://docker");
    const r = route(req.method ?? "GET", url.pathname);
    // Every CLI command starts with a ping: pings are counted in a bucket of their own.
    if (!("name" in r && r.name === "ping" ? pings : bucket).take(1)) throw new ApiError(429, tooManyRequests(limits));
    if ("refused" in r) throw new ApiError(403, refusalMessage(r));
    return { url, r };
  }

  function fail(error: unknown, holder: { scope?: SessionScope }, where: string): { status: number; message: string } {
    const answer = toAnswer(error, holder.scope, secrets, session.execs);
    if (answer.status >= 500)
      options.log(`[session-api ${session.sessionId}] ${where}: ${(error as Error)?.message ?? String(error)}`);
    return answer;
  }

  const server = createServer(async (req, res) => {
    if (overRate.has(req.socket)) return; // the connection closes after its 429, unanswered requests with it
    const holder: { scope?: SessionScope } = {};
    try {
      const { url, r } = parse(req);
      if (r.name === "containerAttach") {
        throw badRequest("attach needs an upgraded connection (Connection: Upgrade, Upgrade: tcp)");
      }
      const body = r.name === "link" ? await readLinkArgs(req) : await readBody(req, limits);
      await HANDLERS[r.name](callOf(req, res, url, r, body, holder));
    } catch (error) {
      const { status, message } = fail(error, holder, `${req.method} ${req.url}`);
      if (status === 429) overRate.add(req.socket);
      sendError(res, status, message);
    }
  });

  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (overRate.has(socket)) return;
    const holder: { scope?: SessionScope } = {};
    socket.on("error", () => socket.destroy());
    (async () => {
      const { url, r } = parse(req);
      if (r.name !== "containerAttach" && r.name !== "execStart") throw badRequest("only attach and exec start are upgraded");
      await hijack(callOf(req, undefined as unknown as ServerResponse, url, r, undefined, holder), socket, head);
    })().catch((error: unknown) => {
      const { status, message } = fail(error, holder, `${req.method} ${req.url}`);
      if (status === 429) overRate.add(socket);
      rawAnswer(socket, status, "Error", message);
    });
  });

  server.on("connection", (socket: Socket) => {
    if (sockets.size >= limits.maxConnections) {
      overRate.add(socket);
      rawAnswer(socket, 429, "Too Many Requests", tooManyConnections(limits));
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  server.on("clientError", (_error: Error, socket: Socket) => {
    if (socket.writable) rawAnswer(socket, 400, "Bad Request", "the request could not be read as HTTP");
    else socket.destroy();
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 0; // attach, logs -f and wait stream for as long as the learner keeps them

  return {
    async listen(socketPath: string) {
      await unlink(socketPath).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(socketPath, () => {
          server.off("error", reject);
          resolve();
        });
      });
      await chmod(socketPath, 0o600);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      session.execs.clear();
      if (server.listening) await closed;
    },
  };
}
