// A session's Docker API endpoint served in the test process, and the three ways a learner talks
// to it: the real CLI, HTTP requests, and raw bytes on the socket (for what no client would send).
import { execFile } from "node:child_process";
import { request } from "node:http";
import { connect } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { loadProvisionerConfig } from "../../worker/config";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { sessionRuntimeFromConfig } from "../../worker/provisioner/docker/fromConfig";
import type { SessionRuntime } from "../../worker/provisioner/docker/learnerObjects";
import type { ApiLimits } from "../../worker/provisioner/docker/sessionApi/limits";
import { createSessionApi, type SessionApi } from "../../worker/provisioner/docker/sessionApi/server";
import { TEST_INSTALLATION } from "./engine";
import { eventually } from "./eventually";

const exec = promisify(execFile);
export const CLI = "/usr/bin/docker";
export const endpointConfig = loadProvisionerConfig(process.env);
export const endpointDocker = createDockerClient(endpointConfig.DOCKER_HOST);
const defaultRuntime = sessionRuntimeFromConfig(endpointConfig, TEST_INSTALLATION);

export type Endpoint = { sid: string; socket: string; api: SessionApi; home: string };

/** Limits no test reaches unless it means to (the rate and create budgets' own tests set theirs). */
export const GENEROUS_LIMITS: Partial<ApiLimits> = {
  ratePerSecond: 500,
  burst: 1000,
  createsPerMinute: 60_000,
  createBurst: 1000,
};

/** Serves session `sid`'s endpoint on `<dir>/<name>.sock` (generous rates unless `limits` says otherwise). */
export async function serveEndpoint(
  dir: string,
  sid: string,
  name: string,
  limits: Partial<ApiLimits> = GENEROUS_LIMITS,
  runtime: SessionRuntime = defaultRuntime,
): Promise<Endpoint> {
  const api = createSessionApi({
    docker: endpointDocker,
    engineSocket: new URL(endpointConfig.DOCKER_HOST ?? "unix:///var/run/docker.sock").pathname,
    sessionId: sid,
    installationId: TEST_INSTALLATION,
    runtime,
    limits: { memoryMb: endpointConfig.CONTAINER_MEMORY_MB },
    images: { learner: endpointConfig.LAB_IMAGE, host: endpointConfig.LAB_HOST_IMAGE },
    log: (line) => console.error(line),
    api: limits,
  });
  const socket = path.join(dir, `${name}.sock`);
  await api.listen(socket);
  return { sid, socket, api, home: dir };
}

/** The real CLI on an endpoint: stdout, stderr and exit code (never throws). */
export async function dockerCli(e: Endpoint, ...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await exec(CLI, ["-H", `unix://${e.socket}`, ...args], {
      timeout: 30_000,
      env: { ...process.env, HOME: e.home },
    });
    return { out: stdout, err: stderr, code: 0 };
  } catch (error) {
    const x = error as { stdout?: string; stderr?: string; code?: number };
    return { out: x.stdout ?? "", err: x.stderr ?? "", code: typeof x.code === "number" ? x.code : -1 };
  }
}

/** One HTTP request (node's client) on an endpoint; `body` is sent as JSON unless it is a string (then as `contentType`). */
export function httpCall(
  e: Endpoint,
  method: string,
  urlPath: string,
  body?: unknown,
  contentType = "application/json",
): Promise<{ status: number; body: string; message?: string }> {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: e.socket,
        method,
        path: urlPath,
        headers: payload ? { "Content-Type": contentType, "Content-Length": payload.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let message: string | undefined;
          try {
            message = (JSON.parse(text) as { message?: string }).message;
          } catch {
            message = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: text, ...(message !== undefined ? { message } : {}) });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** A session's own endpoint as the worker serves it (the session host's /var/run/docker.sock). */
export const sessionEndpointOf = (sid: string): Endpoint =>
  ({ sid, socket: path.join(endpointConfig.LAB_FILES_DIR, sid, "run", "docker.sock") }) as Endpoint;

/** `link ARGS…` as the host terminal's link.c sends it: the arguments, one per line (text/plain), on the session's own endpoint. */
export async function link(sid: string, ...args: string[]): Promise<{ status: number; text: string }> {
  const answer = await httpCall(sessionEndpointOf(sid), "POST", "/wireroom/link", args.join("\n"), "text/plain");
  return { status: answer.status, text: answer.body };
}

/**
 * Raw bytes on a new connection: everything the endpoint answers until it closes the connection
 * or `until` holds for what arrived.
 */
export async function rawBytes(e: Endpoint, bytes: string | Buffer, until: (answer: string) => boolean): Promise<string> {
  const sk = connect(e.socket);
  let answer = "";
  let closed = false;
  sk.on("data", (d: Buffer) => (answer += d.toString("latin1")));
  sk.on("close", () => (closed = true));
  sk.on("error", () => (closed = true));
  sk.write(bytes);
  try {
    await eventually("the endpoint's answer", () => closed || until(answer));
    return answer;
  } finally {
    sk.destroy();
  }
}

/** The status codes of every HTTP answer in a raw exchange, in order. */
export const statuses = (answer: string): number[] => [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
