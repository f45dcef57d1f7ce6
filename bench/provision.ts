// Provisioning benchmark: a 3-container lab (bridge + none + container:) through the platform's
// provisioner (what a worker does between claiming the job and marking the session READY:
// its own network, the session host, the three containers, all hardened and labelled) against
// raw `docker run` of the same three containers on a plain network, in the same run.
//   npm run bench:provision [-- --iterations 10]
// Prints a table, then one JSON line.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { engine as provisioner } from "../test/support/engine";
import { printTable, summary } from "./stats";

const iterations = Number(process.argv[process.argv.indexOf("--iterations") + 1] || 10);
const docker = (...args: string[]) => execFileSync("docker", args, { stdio: "pipe" }).toString().trim();

async function platformOnce(): Promise<number> {
  const sessionId = randomUUID();
  const started = performance.now();
  await provisioner.provision({
    sessionId,
    networks: [],
    containers: [
      { name: "busybox1", image: "busybox:latest", network: "bridge" },
      { name: "closed", image: "busybox:latest", network: "none" },
      { name: "joined", image: "busybox:latest", network: "container:busybox1" },
    ],
    labDns: false,
  });
  const elapsed = performance.now() - started;
  await provisioner.teardown(sessionId);
  return elapsed;
}

function rawOnce(): number {
  const id = randomUUID().slice(0, 8);
  // The platform's per-container limits, as the CLI spells them (sysctls only where a container has
  // its own network namespace, as the platform does).
  const hardening = [
    ...["--memory", "64m", "--pids-limit", "128", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"],
    ...[
      "--read-only",
      "--tmpfs",
      "/tmp:size=16m,noexec",
      "--log-driver",
      "json-file",
      "--log-opt",
      "max-size=256k",
      "--log-opt",
      "max-file=1",
    ],
  ];
  const ownNetns = ["--sysctl", "net.ipv4.ping_group_range=0 2147483647", "--sysctl", "net.ipv6.conf.all.disable_ipv6=1"];
  const started = performance.now();
  docker("network", "create", "--internal", `bench-${id}`);
  // One raw `docker run` per container, as a learner would type it.
  const run = (n: number, network: string, netns: string[]) =>
    docker(
      "run",
      "-d",
      "--name",
      `bench-${id}-${n}`,
      "--network",
      network,
      ...hardening,
      ...netns,
      "busybox:latest",
      "sleep",
      "3600",
    );
  run(1, `bench-${id}`, ownNetns);
  run(2, "none", ownNetns);
  run(3, `container:bench-${id}-1`, []);
  const elapsed = performance.now() - started;
  docker("rm", "-f", `bench-${id}-3`, `bench-${id}-2`, `bench-${id}-1`);
  docker("network", "rm", `bench-${id}`);
  return elapsed;
}

async function main() {
  await platformOnce(); // warm-up, not counted
  rawOnce();
  const platform: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < iterations; i++) {
    platform.push(await platformOnce());
    raw.push(rawOnce());
  }
  const p = summary(platform);
  const r = summary(raw);
  printTable([
    { what: "platform provision (network + host + 3 containers)", ...p },
    { what: "raw docker run (network + 3 containers)", ...r },
  ]);
  const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, docker ${docker("version", "-f", "{{.Server.Version}}")}`;
  console.log(
    JSON.stringify({
      benchmark: "provision-3-containers",
      iterations,
      unit: "ms",
      platform: p,
      rawDockerRun: r,
      ratioP50: Math.round((p.p50 / r.p50) * 100) / 100,
      machine,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
