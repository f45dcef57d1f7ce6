// `docker exec`'s create body: only the fields of exec [-it] [-e] [-w], as root, never privileged.
import { badRequest } from "./apiError";
import { echo } from "./messages";

type Json = Record<string, unknown>;

const ALLOWED = ["AttachStdin", "AttachStdout", "AttachStderr", "Tty", "Detach", "DetachKeys", "Env", "WorkingDir", "Cmd"];

export function parseExecCreate(body: unknown): Json {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest("the request body must be a JSON object");
  const b = body as Json;
  if (b.Privileged !== undefined && b.Privileged !== false) {
    throw badRequest("docker exec --privileged is not supported here; docker exec accepts -i, -t, -e, -w and a command");
  }
  if (b.User !== undefined && b.User !== null && !["", "root", "0", "0:0", "root:root"].includes(b.User as string)) {
    throw badRequest(
      "docker exec --user is not supported here (commands run as root); docker exec accepts -i, -t, -e, -w and a command",
    );
  }
  const cmd = b.Cmd;
  if (
    !Array.isArray(cmd) ||
    cmd.length === 0 ||
    cmd.length > 256 ||
    !cmd.every((s) => typeof s === "string" && s.length <= 4096)
  ) {
    throw badRequest("docker exec needs a command, e.g. docker exec -it busybox1 sh");
  }
  const env = b.Env ?? [];
  if (
    !Array.isArray(env) ||
    env.length > 64 ||
    !env.every((s) => typeof s === "string" && /^[A-Za-z_][A-Za-z0-9_]{0,127}(=|$)/.test(s))
  ) {
    throw badRequest("-e takes KEY=VALUE (KEY: letters, digits and '_')");
  }
  for (const key of Object.keys(b)) {
    if (!ALLOWED.includes(key) && key !== "Privileged" && key !== "User" && key !== "ConsoleSize") {
      throw badRequest(`docker exec: ${echo(key)} is not supported here`);
    }
  }
  return Object.fromEntries(ALLOWED.filter((k) => k in b).map((k) => [k, k === "Env" ? env : b[k]]));
}
