// docker exec: created on a learner container; only the exec instances this endpoint created
// are started (see upgrade.ts), resized or inspected.
import { badRequest, noSuchExec } from "../apiError";
import { queryOf, sendJson, type Call } from "../context";
import { engineJson } from "../engineHttp";
import { parseExecCreate } from "../execRequest";
import { resolveContainer } from "../scope";
import { passStatus } from "./containers";

type Json = Record<string, unknown>;

export async function execCreate(call: Call): Promise<void> {
  const body = parseExecCreate(call.body);
  const c = resolveContainer(await call.scope(), call.route.ref!);
  const created = await engineJson<{ Id: string }>(
    call.session.engineSocket,
    "POST",
    `${call.prefix}/containers/${c.id}/exec`,
    body,
  );
  rememberExec(call.session.execs, created.Id);
  sendJson(call.res, 201, { Id: created.Id });
}

/** Exec ids an endpoint remembers: beyond these the oldest is forgotten (a create loop would grow the set without bound). */
export const MAX_EXECS = 1024;

export function rememberExec(execs: Set<string>, id: string, max = MAX_EXECS): void {
  execs.add(id);
  for (const old of execs) {
    if (execs.size <= max) break;
    execs.delete(old);
  }
}

/** An exec id this endpoint created, or Docker's "No such exec instance". */
export function ownExec(call: Call): string {
  const id = call.route.ref!;
  if (!call.session.execs.has(id)) throw noSuchExec(id);
  return id;
}

/** `docker exec -d`: a start without a stream. */
export async function execStartDetached(call: Call): Promise<void> {
  const id = ownExec(call);
  const { Detach, Tty } = (call.body ?? {}) as { Detach?: unknown; Tty?: unknown };
  if (Detach !== true)
    throw badRequest("exec start needs an upgraded connection (Connection: Upgrade, Upgrade: tcp) unless detached");
  await passStatus(call, "POST", `${call.prefix}/exec/${id}/start`, { Detach: true, Tty: Tty === true });
}

export async function execResize(call: Call): Promise<void> {
  const id = ownExec(call);
  await passStatus(call, "POST", `${call.prefix}/exec/${id}/resize${queryOf(call.url, ["h", "w"])}`);
}

export async function execInspect(call: Call): Promise<void> {
  const id = ownExec(call);
  const info = await engineJson<Json>(call.session.engineSocket, "GET", `${call.prefix}/exec/${id}/json`);
  const keys = [
    "ID",
    "Running",
    "ExitCode",
    "ProcessConfig",
    "OpenStdin",
    "OpenStderr",
    "OpenStdout",
    "CanRemove",
    "ContainerID",
  ];
  sendJson(call.res, 200, { ...Object.fromEntries(keys.map((k) => [k, info[k]])), DetachKeys: "", Pid: 0 });
}
