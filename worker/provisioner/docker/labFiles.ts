// A session's files on the Docker host, bind-mounted read-only into its containers:
// - per-container /etc/resolv.conf files. Docker would otherwise point containers at its embedded
//   resolver (or copy the worker machine's), and a read-only root filesystem cannot be edited
//   afterwards;
// - the session's run folder, the session host's /var/run, where the worker serves the session's
//   own Docker API socket (docker.sock) for the `docker` command in the host terminal.
// The folder must be the same path on the Docker host.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export function createLabFiles(root: string) {
  const sessionDir = (sessionId: string) => path.join(path.resolve(root), sessionId);
  const resolvConf = (sessionId: string, container: string) => path.join(sessionDir(sessionId), `${container}.resolv.conf`);
  return {
    async writeResolvConf(sessionId: string, container: string, nameservers: string[]): Promise<string> {
      await mkdir(sessionDir(sessionId), { recursive: true });
      const file = resolvConf(sessionId, container);
      const body = nameservers.length
        ? nameservers.map((ip) => `nameserver ${ip}`).join("\n")
        : "# this container has no network, so no resolver";
      await writeFile(file, `${body}\n`, { mode: 0o644 });
      return file;
    },
    /** The nameservers written for a container, or undefined when it has no file of ours (embedded DNS). */
    async readResolvConf(sessionId: string, container: string): Promise<string[] | undefined> {
      try {
        const body = await readFile(resolvConf(sessionId, container), "utf8");
        return [...body.matchAll(/^nameserver (\S+)$/gm)].map((m) => m[1]!);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    /** The session's run folder (created if missing): the session host's /var/run. */
    async runDir(sessionId: string): Promise<string> {
      const dir = path.join(sessionDir(sessionId), "run");
      await mkdir(dir, { recursive: true, mode: 0o755 });
      return dir;
    },
    async removeSession(sessionId: string): Promise<void> {
      await rm(sessionDir(sessionId), { recursive: true, force: true });
    },
  };
}

export type LabFiles = ReturnType<typeof createLabFiles>;
