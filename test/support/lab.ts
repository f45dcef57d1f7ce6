// Helpers for tests that drive the Docker provisioner directly and read live state from the
// containers with real commands.
import { randomUUID } from "node:crypto";
import { parseIfconfig, parseNslookup } from "./netparse";
import type { LabContainer, LabNetwork } from "~/core/labs/schema";
import type { SessionSpec } from "~/core/provisioner/port";
import { engine } from "./engine";

export { engine } from "./engine";
/** The engine, under the name the provisioner contract suite knows it by. */
export const provisioner = engine;

const started: string[] = [];

/** Provisions a fresh session; every session made here is removed by `teardownAll`. */
export async function startLab(over: { networks?: LabNetwork[]; containers?: Partial<LabContainer>[]; labDns?: boolean } = {}) {
  const sessionId = randomUUID();
  started.push(sessionId);
  const spec: SessionSpec = {
    sessionId,
    networks: over.networks ?? [],
    containers: (over.containers ?? [{ name: "busybox1" }]).map((c) => ({
      image: "busybox:latest",
      network: "bridge",
      name: "busybox1",
      ...c,
    })),
    labDns: over.labDns ?? false,
  };
  await engine.provision(spec);
  return { sessionId, spec };
}

export async function teardownAll() {
  await Promise.all(started.splice(0).map((id) => engine.teardown(id)));
}

export async function sh(sessionId: string, container: string, script: string, timeoutMs = 10_000) {
  return engine.run(sessionId, container, ["sh", "-c", script], { timeoutMs });
}

export async function ifconfig(sessionId: string, container: string) {
  const { output, exitCode } = await sh(sessionId, container, "ifconfig");
  if (exitCode !== 0) throw new Error(`ifconfig failed in ${container}: ${output}`);
  return parseIfconfig(output);
}

export async function nslookup(sessionId: string, container: string, name: string) {
  return parseNslookup((await sh(sessionId, container, `nslookup ${name}`)).output);
}

export async function eth0(sessionId: string, container: string) {
  const eth = (await ifconfig(sessionId, container)).get("eth0");
  if (!eth?.ipv4) throw new Error(`${container} has no eth0 address`);
  return eth as { name: string; ipv4: string; mask: string; mac: string };
}
