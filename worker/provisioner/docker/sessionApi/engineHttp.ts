// Calls to the engine's own socket: a request whose answer is read whole (to rewrite it), one
// whose answer streams through unchanged, and the raw connection of an attach/exec stream.
import { request, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { pipeline } from "node:stream/promises";

export type EngineAnswer = { status: number; headers: IncomingMessage["headers"]; body: Buffer };

const MAX_ANSWER = 32 * 1024 * 1024;

function send(socketPath: string, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<IncomingMessage> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: { Host: "docker", ...(payload ? { "Content-Type": "application/json", "Content-Length": payload.length } : {}) },
        signal,
      },
      resolve,
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export async function engineCall(socketPath: string, method: string, path: string, body?: unknown): Promise<EngineAnswer> {
  const res = await send(socketPath, method, path, body);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > MAX_ANSWER) {
      res.destroy();
      throw new Error("the engine's answer is too large");
    }
    chunks.push(chunk as Buffer);
  }
  return { status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) };
}

/** The engine's JSON answer, or its error as a thrown EngineError. */
export async function engineJson<T>(socketPath: string, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await engineCall(socketPath, method, path, body);
  if (answer.status >= 400) throw EngineError.from(answer);
  return (answer.body.length ? JSON.parse(answer.body.toString("utf8")) : undefined) as T;
}

export class EngineError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }

  static from(answer: EngineAnswer): EngineError {
    let message = answer.body.toString("utf8");
    try {
      message = (JSON.parse(message) as { message?: string }).message ?? message;
    } catch {
      // not JSON: the text itself
    }
    return new EngineError(answer.status, message.trim());
  }
}

const PASSED_HEADERS = ["content-type", "api-version", "docker-experimental", "ostype"];

/**
 * Aborted once the learner's connection closes (already, or at any later point; an error destroys
 * it). `release` stops watching (a keep-alive connection serves many calls).
 */
export function untilLeaves(client: Socket): { left: AbortSignal; release: () => void } {
  const watch = new AbortController();
  const leave = () => watch.abort();
  if (client.destroyed) watch.abort();
  else client.once("close", leave);
  return { left: watch.signal, release: () => client.off("close", leave) };
}

/**
 * Streams the engine's answer (logs, wait) to the learner unchanged; an engine error is thrown for
 * the one map. A learner who leaves, at any point, closes the engine's stream and ends the call.
 */
export async function engineStream(socketPath: string, method: string, path: string, out: ServerResponse): Promise<void> {
  const { left, release } = untilLeaves(out.req.socket);
  try {
    if (left.aborted) return;
    const res = await send(socketPath, method, path, undefined, left);
    if ((res.statusCode ?? 500) >= 400) {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      throw EngineError.from({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) });
    }
    const headers = Object.fromEntries(PASSED_HEADERS.filter((h) => res.headers[h]).map((h) => [h, res.headers[h]!]));
    out.writeHead(res.statusCode ?? 200, headers);
    out.flushHeaders();
    // Either side closing closes the other; once the answer has started there is nothing left to report.
    await pipeline(res, out).catch(() => undefined);
  } catch (error) {
    if (left.aborted) return; // the learner left: nobody to answer
    throw error;
  } finally {
    release();
  }
}
