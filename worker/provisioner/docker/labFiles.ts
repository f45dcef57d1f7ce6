// A session's files on the Docker host, bind-mounted read-only into its containers:
// - per-container /etc/resolv.conf files. Docker would otherwise point containers at its embedded
//   resolver (or copy the worker machine's), and a read-only root filesystem cannot be edited
//   afterwards;
// - the session's run folder, the session host's /var/run, where the worker serves the session's
//   own Docker API socket (docker.sock) for the `docker` command in the host terminal.
// The folder must be the same path on the Docker host.
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export function createLabFiles(root: string) {
  const sessionDir = (sessionId: string) => path.join(path.resolve(root), sessionId);
  const RESOLV_CONF = ".resolv.conf";
  const resolvConf = (sessionId: string, container: string) => path.join(sessionDir(sessionId), `${container}${RESOLV_CONF}`);
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
    /**
     * Removes the resolv.conf files of containers not in `keep` (removed ones: `docker rm` leaves
     * them, and a create/rm loop with fresh names would grow the folder without bound).
     */
    async pruneResolvConfs(sessionId: string, keep: ReadonlySet<string>): Promise<void> {
      let names: string[];
      try {
        names = await readdir(sessionDir(sessionId));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw error;
      }
      const gone = names.filter((f) => f.endsWith(RESOLV_CONF) && !keep.has(f.slice(0, -RESOLV_CONF.length)));
      await Promise.all(gone.map((f) => rm(path.join(sessionDir(sessionId), f), { force: true })));
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
