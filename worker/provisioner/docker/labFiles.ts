// Per-container /etc/resolv.conf files, bind-mounted read-only. Docker would otherwise point
// containers at its embedded resolver (or copy the worker machine's), and a read-only root
// filesystem cannot be edited afterwards. The folder must be the same path on the Docker host.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export function createLabFiles(root: string) {
  const sessionDir = (sessionId: string) => path.join(path.resolve(root), sessionId);
  return {
    async writeResolvConf(sessionId: string, container: string, nameservers: string[]): Promise<string> {
      const dir = sessionDir(sessionId);
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${container}.resolv.conf`);
      const body = nameservers.length
        ? nameservers.map((ip) => `nameserver ${ip}`).join("\n")
        : "# this container has no network, so no resolver";
      await writeFile(file, `${body}\n`, { mode: 0o644 });
      return file;
    },
    async removeSession(sessionId: string): Promise<void> {
      await rm(sessionDir(sessionId), { recursive: true, force: true });
    },
  };
}

export type LabFiles = ReturnType<typeof createLabFiles>;
