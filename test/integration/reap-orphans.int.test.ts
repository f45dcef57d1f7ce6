// The operator's orphan reaper (`npm run reap-orphans`, issue 13) as a child process against the real
// engine and this file's database: a dry run lists a foreign installation's objects (and ours of
// sessions this database does not run) and removes nothing; the real run removes exactly them, and a
// live session of this database keeps its containers, networks, files and shell.
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getInstallationId } from "~/core/installation";
import type { RunningWorker } from "../../worker/app";
import { installationEngine } from "../support/engine";
import { db, learner, testWorker, waitForStatus } from "../support/harness";

const root = path.resolve(import.meta.dirname, "../..");
const exec = promisify(execFile);
const docker = (...args: string[]) => exec("/usr/bin/docker", args, { timeout: 30_000 }).then((r) => r.stdout.trim());

/** The command as an operator runs it (tsx, as `npm run reap-orphans` does); never throws. */
function reap(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/reap-orphans.ts", ...args], { cwd: root, env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => resolve({ code: code ?? -1, out, err }));
  });
}

type Listed = { kind: string; name: string; installation: string | null; session: string | null; why: string };
type Report = {
  dryRun: boolean;
  installationId: string;
  orphans: Listed[];
  removed: Listed[];
  removedFolders: string[];
  failed: unknown[];
};

const tag = `o-reap-${randomUUID().slice(0, 8)}`;
const foreign = randomUUID(); // an installation whose database is gone
const legacyForeign = randomUUID(); // one from before the rename (io.netlab.* labels)
const bystander = randomUUID(); // a foreign installation outside the real run's --installation scope
const foreignSession = randomUUID();
const unknownSession = randomUUID(); // ours, but no row in this database
let ours: string;
let stoppedSession: string;
let liveSession: string;
let filesDir: string;
let worker: RunningWorker;
const made: { containers: string[]; networks: string[] } = { containers: [], networks: [] };

const labels = (prefix: "io.wireroom" | "io.netlab", installation: string, session: string) =>
  ["managed=true", `installation=${installation}`, `session=${session}`, "name=x"].flatMap((l) => ["--label", `${prefix}.${l}`]);

async function container(name: string, labelArgs: string[], network?: string) {
  made.containers.push(name);
  await docker("run", "-d", "--name", name, "--network", network ?? "none", ...labelArgs, "busybox", "sleep", "1000");
}

const expected = () => ({
  containers: [`${tag}-foreign`, `${tag}-legacy`, `${tag}-unknown`, `${tag}-stopped`],
  networks: [`${tag}-foreign-net`],
});

beforeAll(async () => {
  filesDir = await mkdtemp(path.join(os.tmpdir(), "o-reap-"));
  ours = await getInstallationId(db());
  // Reconcile runs at start only (before the objects below exist): the reaper, not the worker, meets them.
  worker = await testWorker({ LAB_FILES_DIR: filesDir, RECONCILE_INTERVAL_SECONDS: "86400" });
  const [alice, bob] = await Promise.all([learner(), learner()]);
  liveSession = (await alice.api.session.start({ labSlug: "bridge-basics" })).id;
  stoppedSession = (await bob.api.session.start({ labSlug: "none" })).id;
  await waitForStatus(stoppedSession, ["READY"], 60_000);
  await bob.api.session.stop({ sessionId: stoppedSession });
  await Promise.all([waitForStatus(liveSession, ["READY"], 60_000), waitForStatus(stoppedSession, ["STOPPED"], 60_000)]);

  made.networks.push(`${tag}-foreign-net`);
  await docker("network", "create", ...labels("io.wireroom", foreign, foreignSession), `${tag}-foreign-net`);
  await container(`${tag}-foreign`, labels("io.wireroom", foreign, foreignSession), `${tag}-foreign-net`);
  await container(`${tag}-legacy`, labels("io.netlab", legacyForeign, randomUUID()));
  await container(`${tag}-unknown`, labels("io.wireroom", ours, unknownSession));
  await container(`${tag}-stopped`, labels("io.wireroom", ours, stoppedSession)); // left behind by a stopped session
  await container(`${tag}-bystander`, labels("io.wireroom", bystander, randomUUID()));
  for (const session of [foreignSession, unknownSession]) {
    await mkdir(path.join(filesDir, session, "run"), { recursive: true });
    await writeFile(path.join(filesDir, session, "x.resolv.conf"), "nameserver 10.0.0.1\n");
  }
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  for (const name of made.containers) await docker("rm", "-f", name).catch(() => undefined);
  for (const name of made.networks) await docker("network", "rm", name).catch(() => undefined);
  if (liveSession) await (await installationEngine(db())).teardown(liveSession);
  await rm(filesDir, { recursive: true, force: true });
}, 120_000);

const mine = (list: Listed[]) =>
  list
    .filter((o) => o.name.startsWith(tag))
    .map((o) => `${o.kind} ${o.name} ${o.why}`)
    .sort();
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
const running = async (name: string) => (await docker("inspect", "-f", "{{.State.Running}}", name)) === "true";

describe("npm run reap-orphans", () => {
  it("a dry run lists the foreign installations' objects and ours of sessions not live here, and removes nothing", async () => {
    const young = await reap(["--dry-run", "--json"]);
    expect(young.err).toBe("");
    expect(young.code).toBe(0);
    expect(mine((JSON.parse(young.out) as Report).orphans)).toEqual([]); // all younger than the default 10 minutes

    const dry = await reap(["--dry-run", "--json", "--grace-minutes", "0"]);
    expect(dry.err).toBe("");
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.out) as Report;
    expect(report.installationId).toBe(ours);
    expect(mine(report.orphans)).toEqual(
      [
        `container ${tag}-foreign another installation`,
        `container ${tag}-legacy another installation`,
        `container ${tag}-unknown session unknown here`,
        `container ${tag}-stopped session stopped here`,
        `container ${tag}-bystander another installation`,
        `network ${tag}-foreign-net another installation`,
      ].sort(),
    );
    expect(report.orphans.filter((o) => o.session === liveSession)).toEqual([]);
    expect(report.orphans.find((o) => o.name === `${tag}-legacy`)?.installation).toBe(legacyForeign);

    const table = await reap(["--dry-run", "--grace-minutes=0", "--installation", foreign]);
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^KIND\s+NAME\s+INSTALLATION\s+SESSION\s+AGE\s+WHY$/);
    expect(lines.filter((l) => l.includes(tag))).toHaveLength(2);
    expect(lines.find((l) => l.includes(`${tag}-foreign `))).toMatch(
      new RegExp(`^container\\s+${tag}-foreign\\s+${foreign}\\s+${foreignSession}\\s+\\d+s\\s+another installation$`),
    );
    expect(lines.at(-1)).toBe(
      `dry run: 1 container and 1 network would be removed (older than 0 min; this database's installation is ${ours}); nothing was removed`,
    );

    for (const name of [...expected().containers, `${tag}-bystander`]) expect(await running(name), name).toBe(true);
    expect(await docker("network", "inspect", "-f", "{{.Name}}", `${tag}-foreign-net`)).toBe(`${tag}-foreign-net`);
  }, 60_000);

  it("the real run removes exactly them (containers, then networks, then their folders); the live session runs on", async () => {
    const engine = await installationEngine(db());
    const before = await engine.listSessionObjects(liveSession);
    expect(before.containers.length).toBeGreaterThan(0);

    const scope = [foreign, legacyForeign, ours].flatMap((id) => ["--installation", id]);
    const real = await reap(["--grace-minutes", "0", "--files-dir", filesDir, "--json", ...scope]);
    expect(real.err).toBe("");
    expect(real.code).toBe(0);
    const report = JSON.parse(real.out) as Report;
    expect(report.dryRun).toBe(false);
    expect(report.failed).toEqual([]);
    expect(report.removed.map((o) => `${o.kind} ${o.name}`).sort()).toEqual(
      [...expected().containers.map((n) => `container ${n}`), ...expected().networks.map((n) => `network ${n}`)].sort(),
    );
    expect(report.removedFolders.sort()).toEqual([foreignSession, unknownSession].sort());

    const left = await docker("ps", "-a", "--filter", `name=${tag}`, "--format", "{{.Names}}");
    expect(left).toBe(`${tag}-bystander`); // outside --installation: untouched
    expect(await docker("network", "ls", "-q", "--filter", `name=${tag}`)).toBe("");
    expect(await exists(path.join(filesDir, foreignSession))).toBe(false);
    expect(await exists(path.join(filesDir, unknownSession))).toBe(false);

    // The live session: every object, its files and socket, and a shell that answers.
    expect(await engine.listSessionObjects(liveSession)).toEqual(before);
    for (const name of before.containers) expect(await running(name), name).toBe(true);
    expect(await exists(path.join(filesDir, liveSession, "run", "docker.sock"))).toBe(true);
    expect(await engine.run(liveSession, "host", ["echo", "still-here"])).toEqual({ exitCode: 0, output: "still-here\n" });
    expect((await db().labSession.findUniqueOrThrow({ where: { id: liveSession } })).status).toBe("READY");

    const again = await reap(["--grace-minutes", "0", ...scope]);
    expect(again.code).toBe(0);
    expect(again.out.trimEnd().split("\n").at(-1)).toBe(
      `removed 0 containers and 0 networks (older than 0 min; this database's installation is ${ours})`,
    );
  }, 90_000);

  it("bad flags and missing settings: exit 2 with one line saying what is accepted, then the usage", async () => {
    const cases: [string[], string][] = [
      [
        ["--dry-run", "--grace"],
        `reap-orphans: unknown option "--grace"; accepted: --dry-run, --grace-minutes N, --json, --files-dir DIR, --installation ID, --help`,
      ],
      [
        ["--dry-run", "--grace-minutes", "soon"],
        `reap-orphans: --grace-minutes must be a whole number of minutes from 0 to 525600, got "soon"`,
      ],
      [["--dry-run", "--files-dir"], "reap-orphans: --files-dir needs a folder (the workers' LAB_FILES_DIR)"],
    ];
    for (const [args, line] of cases) {
      const r = await reap(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.out).toBe("");
      const [first, usage] = r.err.split("\n");
      expect(first).toBe(line);
      expect(usage).toMatch(/^usage: npm run reap-orphans -- \[--dry-run\] \[--grace-minutes N\] \[--json\]/);
    }
    const missingDir = await reap(["--dry-run", "--files-dir", path.join(filesDir, "nope")]);
    expect(missingDir.code).toBe(2);
    expect(missingDir.err).toMatch(
      /^reap-orphans: --files-dir must be an existing folder \(the workers' LAB_FILES_DIR\); .*nope is not one\n$/,
    );

    const { DATABASE_URL: _unused, ...noDatabase } = process.env;
    const noDb = await reap(["--dry-run"], noDatabase);
    expect(noDb.code).toBe(2);
    expect(noDb.err).toBe(
      "reap-orphans: DATABASE_URL is required: the installation's PostgreSQL, e.g. postgresql://user:password@host:5432/wireroom\n",
    );

    const help = await reap(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: npm run reap-orphans/);
  }, 60_000);
});
