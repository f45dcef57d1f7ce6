// _ping, version and info.
import type { Call } from "../context";
import { sendJson } from "../context";
import { engineJson } from "../engineHttp";
import { sessionInfo } from "../info";

export const API_VERSION = "1.41";

export async function ping(call: Call): Promise<void> {
  const body = call.req.method === "HEAD" ? "" : "OK";
  call.res.writeHead(200, {
    "Api-Version": API_VERSION,
    Ostype: "linux",
    "Docker-Experimental": "false",
    "Cache-Control": "no-cache, no-store, must-revalidate",
    Pragma: "no-cache",
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": 2,
  });
  call.res.end(body);
}

/** What `docker version` prints of the server (the engine's own block); containerd, runc and the rest stay out. */
const VERSION_KEYS = [
  "Version",
  "ApiVersion",
  "MinAPIVersion",
  "GitCommit",
  "GoVersion",
  "Os",
  "Arch",
  "KernelVersion",
  "Experimental",
  "BuildTime",
];

type Json = Record<string, unknown>;
const pickVersion = (from: Json = {}) => Object.fromEntries(VERSION_KEYS.filter((k) => k in from).map((k) => [k, from[k]]));

export async function version(call: Call): Promise<void> {
  const engine = await engineJson<Json>(call.session.engineSocket, "GET", `${call.prefix}/version`);
  const components = (engine.Components ?? []) as { Name?: unknown; Version?: unknown; Details?: Json }[];
  sendJson(call.res, 200, {
    Platform: { Name: (engine.Platform as Json | undefined)?.Name ?? "" },
    Components: components
      .filter((c) => c.Name === "Engine")
      .map((c) => ({ Name: c.Name, Version: c.Version, Details: pickVersion(c.Details) })),
    ...pickVersion(engine),
  });
}

export async function info(call: Call): Promise<void> {
  const engineInfo = await engineJson<Record<string, unknown>>(call.session.engineSocket, "GET", `${call.prefix}/info`);
  sendJson(call.res, 200, sessionInfo(engineInfo, await call.scope(), call.session.info));
}
