// The raw CLI path a learner could take without the platform, timed from the click to the prompt:
// `docker network create`, `docker run -d` of the lab's containers (as the lab places them), then
// `docker exec -i <default> sh -i` until its prompt. Names start with "b-class-" (this benchmark's);
// each start removes what it made once it is timed.
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import type { Lab } from "~/core/labs/schema";

const run = promisify(execFile);
const docker = (...args: string[]) => run("docker", args, { maxBuffer: 1 << 20 });

function promptOf(container: string, timeoutMs: number): Promise<void> {
  const child = spawn("docker", ["exec", "-i", container, "sh", "-i"], { stdio: ["pipe", "pipe", "pipe"] });
  let seen = "";
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`raw CLI: no prompt from ${container} within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-64);
      if (/[#$] $/.test(seen)) finish();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData); // an interactive sh without a terminal prompts on stderr
    child.once("exit", (code) => finish(new Error(`raw CLI: docker exec ended (${code}) before a prompt: ${seen}`)));
  });
}

/** One raw start of `lab`; resolves with ms from the first command to the prompt. */
export async function rawCliStart(lab: Lab): Promise<number> {
  const id = `b-class-${randomUUID().slice(0, 8)}`;
  const names = lab.containers.map((c) => `${id}-${c.name}`);
  const started = performance.now();
  try {
    await docker("network", "create", "--internal", id);
    for (const c of lab.containers) {
      const network = c.network.startsWith("container:")
        ? `container:${id}-${c.network.slice("container:".length)}`
        : c.network === "none"
          ? "none"
          : id;
      await docker("run", "-d", "--name", `${id}-${c.name}`, "--network", network, c.image, "sleep", "3600");
    }
    const first = lab.containers.find((c) => c.name === lab.defaultTerminal) ?? lab.containers[0];
    if (!first) throw new Error(`lab ${lab.slug} starts no container: the raw CLI path has nothing to open`);
    await promptOf(`${id}-${first.name}`, 30_000);
    return performance.now() - started;
  } finally {
    if (names.length) await docker("rm", "-f", ...[...names].reverse()).catch(() => undefined);
    await docker("network", "rm", id).catch(() => undefined);
  }
}
