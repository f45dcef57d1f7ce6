// The terminal gateway: a socket.io server on the worker's HTTP server, one namespace for terminals.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Db } from "~/server/db";
import { refusal, TERMINAL_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from "~/shared/terminal-protocol";
import type { Provisioner } from "../provisioner/port";
import { authenticate, type SocketData } from "./authenticate";
import { bridgeTerminal } from "./bridgeTerminal";

export function createTerminalGateway(deps: {
  httpServer: HttpServer;
  db: Db;
  provisioner: Provisioner;
  secret: string;
  allowedOrigins: string[];
}): Server {
  const allowed = new Set(deps.allowedOrigins);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(deps.httpServer, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    cors: { origin: deps.allowedOrigins },
    // Browsers always send Origin: refuse pages we do not serve. Non-browser clients still need a token.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (origin && !allowed.has(origin)) return callback(refusal.originNotAllowed, false);
      callback(null, true);
    },
  });
  const terminals = io.of(TERMINAL_NAMESPACE);
  terminals.use(authenticate({ db: deps.db, secret: deps.secret }));
  terminals.on("connection", (socket) => {
    void bridgeTerminal(socket, deps.provisioner);
  });
  return io;
}
