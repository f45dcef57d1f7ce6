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

export async function version(call: Call): Promise<void> {
  sendJson(call.res, 200, await engineJson(call.session.engineSocket, "GET", `${call.prefix}/version`));
}

export async function info(call: Call): Promise<void> {
  const engineInfo = await engineJson<Record<string, unknown>>(call.session.engineSocket, "GET", `${call.prefix}/info`);
  sendJson(call.res, 200, sessionInfo(engineInfo, await call.scope(), call.session.info));
}
