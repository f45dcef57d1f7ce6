// `docker run -it` / `attach` and `docker exec` streams: the target is resolved in the session,
// the learner's request body read and checked, then the connection is joined to the engine's.
import type { Socket } from "node:net";
import { badRequest } from "./apiError";
import type { Call } from "./context";
import { queryOf } from "./context";
import { ownExec } from "./handlers/exec";
import { untilLeaves } from "./engineHttp";
import { engineHijack, readClientBody } from "./hijack";
import { resolveContainer } from "./scope";

const ATTACH_QUERY = ["stream", "stdin", "stdout", "stderr", "logs", "detachKeys"];
const MAX_START_BODY = 1024;

/** exec start's body: {"Detach": false, "Tty": bool} (a detached start is not a stream). */
export function parseExecStart(body: Buffer): { Detach: false; Tty: boolean } {
  let parsed: unknown;
  try {
    parsed = body.length ? JSON.parse(body.toString("utf8")) : {};
  } catch {
    throw badRequest("the exec start body is not JSON");
  }
  const { Detach, Tty } = (parsed ?? {}) as { Detach?: unknown; Tty?: unknown };
  if (Detach === true) throw badRequest("a detached exec start is not a stream; send it without Upgrade");
  return { Detach: false, Tty: Tty === true };
}

export async function hijack(call: Call, client: Socket, head: Buffer): Promise<void> {
  const { left } = untilLeaves(client); // from the start: the learner may leave while the session is read
  const declared = Number(call.req.headers["content-length"] ?? 0) || 0;
  if (declared > MAX_START_BODY) throw badRequest(`the request body is larger than ${MAX_START_BODY} bytes`);
  if (call.route.name === "containerAttach") {
    const c = resolveContainer(await call.scope(), call.route.ref!);
    const { rest } = await readClientBody(client, head, declared);
    const path = `${call.prefix}/containers/${c.id}/attach${queryOf(call.url, ATTACH_QUERY)}`;
    await engineHijack(call.session.engineSocket, path, Buffer.alloc(0), client, rest, left);
    return;
  }
  const id = ownExec(call);
  const { body, rest } = await readClientBody(client, head, declared);
  const start = Buffer.from(JSON.stringify(parseExecStart(body)));
  await engineHijack(call.session.engineSocket, `${call.prefix}/exec/${id}/start`, start, client, rest, left);
}
