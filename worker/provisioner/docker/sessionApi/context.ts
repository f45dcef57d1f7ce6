// What every handler of the session's endpoint is given: the session, the engine socket, the
// runtime that creates learner objects, and the one request being answered.
import type { IncomingMessage, ServerResponse } from "node:http";
import type Docker from "dockerode";
import type { LabImages } from "../containers";
import type { SessionRuntime } from "../learnerObjects";
import type { InfoLimits } from "./info";
import type { Route } from "./routes";
import type { SessionScope } from "./scope";

export type SessionContext = {
  docker: Docker;
  engineSocket: string;
  sessionId: string;
  installationId: string;
  runtime: SessionRuntime;
  images: LabImages;
  info: InfoLimits;
  /** Exec instances this endpoint created (only those are started, resized or inspected). */
  execs: Set<string>;
};

export type Call = {
  session: SessionContext;
  req: IncomingMessage;
  res: ServerResponse;
  route: Route;
  url: URL;
  /** The learner's `/v1.NN`, kept on what is forwarded. */
  prefix: string;
  body: unknown;
  /** The session's objects, read once per call. */
  scope(): Promise<SessionScope>;
  /** Spends one create of the session's budget (a 429 when it is spent); called once a create was checked and is about to happen. */
  spendCreate(): void;
};

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value) + "\n");
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": body.length });
  res.end(body);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { "Content-Length": 0 });
  res.end();
}

/** The learner's query with only the named keys, for a forwarded call. */
export function queryOf(url: URL, keys: string[]): string {
  const out = new URLSearchParams();
  for (const key of keys) for (const value of url.searchParams.getAll(key)) out.append(key, value);
  const text = out.toString();
  return text ? `?${text}` : "";
}
