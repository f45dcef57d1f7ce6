// The real web for benchmarks: `next start` (a production build must exist: `next build`) as its
// own process on a free loopback port, with the settings scripts/platform.ts gives it.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type BenchWeb = { pid: number; baseUrl: string; stop: () => Promise<void> };

export async function startWeb(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<BenchWeb> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID")))
    throw new Error("no production build in .next: run `NEXT_TELEMETRY_DISABLED=1 node_modules/.bin/next build` first");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: root,
      env: {
        ...process.env,
        ...extraEnv,
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
        // The workers' secret and address when the benchmark runs workers; none otherwise.
        TERMINAL_TOKEN_SECRET: extraEnv.TERMINAL_TOKEN_SECRET ?? randomBytes(32).toString("hex"),
        WEB_ORIGINS: baseUrl,
        WORKER_PUBLIC_URL: extraEnv.WORKER_PUBLIC_URL ?? "http://127.0.0.1:9", // no worker: nothing here opens a terminal
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000));
  child.stdout.on("data", keep);
  child.stderr.on("data", (chunk: Buffer) => {
    keep(chunk);
    process.stderr.write(`[web] ${chunk.toString()}`);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) throw new Error(`next start did not answer on ${baseUrl} within 60 s:\n${log}`);
    const answered = await fetch(`${baseUrl}/favicon.ico`).then(
      (res) => res.status < 500,
      () => false,
    );
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    pid: child.pid!,
    baseUrl,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A guest signed in through the web's own endpoint, as a browser is: the cookie it keeps and the user id. */
export async function signInGuest(baseUrl: string): Promise<{ cookie: string; userId: string }> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in/anonymous`, {
    method: "POST",
    headers: { origin: baseUrl, "content-type": "application/json" },
    body: "{}",
  });
  if (!res.ok) throw new Error(`anonymous sign-in answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .join("; ");
  const body = (await res.json()) as { user?: { id?: string } };
  if (!body.user?.id) throw new Error(`anonymous sign-in gave no user: ${JSON.stringify(body)}`);
  return { cookie, userId: body.user.id };
}
