// Helpers for integration tests: a real worker on a random port, a tRPC caller acting as a
// learner, and a socket.io client for terminals. Nothing here fakes Docker or PostgreSQL.
import headless from "@xterm/headless";
import { io, type Socket } from "socket.io-client";
import superjson, { type SuperJSONResult } from "superjson";
import * as trpcRoute from "~/app/api/trpc/[trpc]/route";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { getAuth } from "~/server/auth/auth";
import { getDb } from "~/core/db";
import type { SessionStatus } from "~/generated/prisma/client";
import { TerminalConnection } from "~/protocol/terminalConnection";
import { TERMINAL_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from "~/protocol/terminalProtocol";
import { startWorker } from "../../worker/app";
import { loadWorkerConfig } from "../../worker/config";
import { eventually } from "./eventually";

export const db = () => getDb(process.env.DATABASE_URL!);

export function testWorker(overrides: Record<string, string> = {}) {
  return startWorker(
    loadWorkerConfig({
      ...process.env,
      WORKER_PORT: "0",
      WORKER_HOST: "127.0.0.1",
      WEB_ORIGINS: "http://allowed.test",
      ...overrides,
    }),
  );
}

/**
 * A real better-auth user, signed in anonymously by the server, with the cookie a browser would
 * keep; `api` calls procedures with the context built from that cookie exactly as the route does.
 */
export async function learner() {
  const { headers } = await getAuth().api.signInAnonymous({ headers: new Headers(), returnHeaders: true });
  const cookie = headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .join("; ");
  const ctx = await createTRPCContext({ headers: new Headers({ cookie }) });
  if (!ctx.learner) throw new Error(`anonymous sign-in gave a cookie that is no one: ${cookie}`);
  return { id: ctx.learner.id, handle: ctx.learner.handle, cookie, api: createCaller(ctx) };
}

export type HttpAnswer = {
  status: number;
  /** The body exactly as a browser receives it. */
  text: string;
  headers: Headers;
  data?: unknown;
  error?: { code: string; message: string };
};

/** Calls a procedure through the real HTTP route handler (src/app/api/trpc), as a browser would. */
export async function callTrpc(
  procedure: string,
  input: unknown,
  options: { cookie?: string; method?: "GET" | "POST"; origin?: string } = {},
): Promise<HttpAnswer> {
  const method = options.method ?? "POST";
  const encoded = JSON.stringify(superjson.serialize(input));
  const url = new URL(`/api/trpc/${procedure}`, "http://127.0.0.1:3000");
  if (method === "GET") url.searchParams.set("input", encoded);
  const headers = new Headers({ "content-type": "application/json" });
  if (options.cookie !== undefined) headers.set("cookie", options.cookie);
  if (options.origin !== undefined) headers.set("origin", options.origin);
  const res = await trpcRoute[method](new Request(url, { method, headers, body: method === "POST" ? encoded : undefined }));
  const text = await res.text();
  const body = JSON.parse(text) as {
    result?: { data: SuperJSONResult };
    error?: { json: { message: string; data: { code: string } } };
  };
  return {
    status: res.status,
    text,
    headers: res.headers,
    data: body.result ? superjson.deserialize(body.result.data) : undefined,
    error: body.error ? { code: body.error.json.data.code, message: body.error.json.message } : undefined,
  };
}

/** Waits until the session reaches one of the statuses (polls the row; the worker writes it). */
export function waitForStatus(sessionId: string, statuses: SessionStatus[], timeoutMs = 30_000) {
  return eventually(
    `session ${sessionId} to be ${statuses.join("/")}`,
    async () => {
      const row = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
      if (statuses.includes(row.status)) return row;
      throw new Error(`it is ${row.status} (${row.statusReason})`);
    },
    { timeoutMs },
  );
}

export type TerminalClient = Socket<ServerToClientEvents, ClientToServerEvents> & {
  connection: TerminalConnection;
  /** Everything rendered since the last snapshot (snapshot included), as raw text. */
  screen: () => string;
  /** The rendered screen, as an xterm.js terminal would show it (trailing spaces trimmed). */
  lines: () => Promise<string[]>;
  type: (data: string) => void;
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  /** Like waitForOutput, for what the terminal printed after `offset` (a length of screen()). */
  waitForOutputAfter: (offset: number, pattern: RegExp, timeoutMs?: number) => Promise<string>;
  snapshots: number;
  /** The first event the server sent (recorded from before the connection). */
  firstEvent?: string;
  /** The offset the first output event started at (recorded from before the connection). */
  firstOutputFrom?: number;
};

/** Connects a terminal client; resolves once connected, rejects with the server's refusal. */
export function connectTerminal(
  port: number,
  auth: Record<string, unknown>,
  options: { origin?: string; connection?: TerminalConnection } = {},
): Promise<TerminalClient> {
  let output = "";
  const waiters = new Set<() => void>();
  const screen = new headless.Terminal({ cols: 80, rows: 24, scrollback: 1000, allowProposedApi: true, logLevel: "off" });
  const connection =
    options.connection ??
    new TerminalConnection({
      reset: () => {
        output = "";
        screen.reset();
      },
      write: (data, done) => {
        output += data;
        for (const wake of waiters) wake();
        screen.write(data, done);
      },
    });
  const socket = io(`http://127.0.0.1:${port}${TERMINAL_NAMESPACE}`, {
    auth: (cb) => cb({ ...connection.handshake(), ...auth }),
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.origin ? { origin: options.origin } : {},
  }) as TerminalClient;
  connection.attach(socket);
  socket.connection = connection;
  socket.snapshots = 0;
  socket.on("snapshot", () => socket.snapshots++);
  socket.onAny((event: string) => (socket.firstEvent ??= event));
  socket.once("output", ({ seq, data }) => (socket.firstOutputFrom = seq - data.length));
  socket.screen = () => output;
  socket.lines = () =>
    new Promise((resolve) =>
      screen.write("", () => {
        const buffer = screen.buffer.active;
        const lines: string[] = [];
        for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? "");
        while (lines.length && lines.at(-1) === "") lines.pop();
        resolve(lines);
      }),
    );
  socket.type = (data) => connection.send(data);
  socket.waitForOutput = (pattern, timeoutMs = 10_000) => socket.waitForOutputAfter(0, pattern, timeoutMs);
  socket.waitForOutputAfter = (offset, pattern, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(output.slice(offset))) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(output);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`terminal never showed ${pattern}; it showed:\n${output}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** An attacker and a neighbour, each with a READY session of the given lab (abuse tests). */
export async function attackerAndNeighbour(attackerLab: string, neighbourLab: string) {
  const [attacker, neighbour] = await Promise.all([learner(), learner()]);
  const attackSession = (await attacker.api.session.start({ labSlug: attackerLab })).id;
  const neighbourSession = (await neighbour.api.session.start({ labSlug: neighbourLab })).id;
  await Promise.all([waitForStatus(attackSession, ["READY"]), waitForStatus(neighbourSession, ["READY"])]);
  return { attacker, neighbour, attackSession, neighbourSession };
}

/** How long a terminal's shell takes to echo a command (ms). */
export async function echoTime(client: TerminalClient, tag: string, timeoutMs = 20_000): Promise<number> {
  const started = performance.now();
  client.type(`echo ${tag}-$((6*7))\n`);
  await client.waitForOutput(new RegExp(`${tag}-42\\r\\n`), timeoutMs);
  return performance.now() - started;
}

/**
 * A probe for eventually(): reads, and returns the value once `ok` holds; until then it fails with
 * the value read, so a timeout shows what was last seen.
 */
export function satisfying<T>(read: () => Promise<T>, ok: (value: T) => boolean): () => Promise<T> {
  return async () => {
    const value = await read();
    if (ok(value)) return value;
    throw new Error(`not yet: ${JSON.stringify(value)}`);
  };
}

export { engine } from "./engine";
export { eventually, within } from "./eventually";
