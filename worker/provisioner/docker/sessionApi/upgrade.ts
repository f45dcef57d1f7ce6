// `docker run -it` / `attach` and `docker exec` streams: the target is resolved in the session,
// then the learner's connection is joined to a raw engine connection (upgrade to a TCP stream).
import type { Socket } from "node:net";
import type { Call } from "./context";
import { queryOf } from "./context";
import { engineHijack } from "./engineHttp";
import { ownExec } from "./handlers/exec";
import { resolveContainer } from "./scope";

const ATTACH_QUERY = ["stream", "stdin", "stdout", "stderr", "logs", "detachKeys"];

export async function hijack(call: Call, client: Socket, head: Buffer): Promise<void> {
  const { req } = call;
  const headers: Record<string, string> = { Connection: "Upgrade", Upgrade: "tcp" };
  let path: string;
  if (call.route.name === "containerAttach") {
    const c = resolveContainer(await call.scope(), call.route.ref!);
    path = `${call.prefix}/containers/${c.id}/attach${queryOf(call.url, ATTACH_QUERY)}`;
    headers["Content-Length"] = "0";
  } else {
    path = `${call.prefix}/exec/${ownExec(call)}/start`;
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(Number(req.headers["content-length"] ?? 0) || 0);
  }
  engineHijack(call.session.engineSocket, path, headers, client, head);
}
