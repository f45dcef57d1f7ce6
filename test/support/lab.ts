// Helpers for tests that drive the Docker provisioner directly and read live state from the
// containers with real commands.
import { randomUUID } from "node:crypto";
import { parseIfconfig, parseNslookup } from "./netparse";
import type { LabContainer, LabNetwork } from "~/core/labs/schema";
import { loadProvisionerConfig } from "../../worker/config";
import { dockerProvisionerFromConfig } from "../../worker/provisioner/docker/fromConfig";
import type { SessionSpec } from "~/core/provisioner/port";

/** Objects made by provisioner-level tests belong to no database: a fixed installation id. */
export const TEST_INSTALLATION = "00000000-0000-4000-8000-00000000feed";
export const provisioner = dockerProvisionerFromConfig(loadProvisionerConfig(), TEST_INSTALLATION);

const started: string[] = [];

/** Provisions a fresh session; every session made here is removed by `teardownAll`. */
export async function startLab(over: { networks?: LabNetwork[]; containers?: Partial<LabContainer>[]; labDns?: boolean } = {}) {
  const sessionId = randomUUID();
  started.push(sessionId);
  const spec: SessionSpec = {
    sessionId,
    networks: over.networks ?? [],
    containers: (over.containers ?? [{ name: "busybox1" }]).map((c) => ({ image: "busybox:latest", network: "bridge", name: "busybox1", ...c })),
    labDns: over.labDns ?? false,
  };
  await provisioner.provision(spec);
  return { sessionId, spec };
}

export async function teardownAll() {
  await Promise.all(started.splice(0).map((id) => provisioner.teardown(id)));
}

export async function sh(sessionId: string, container: string, script: string, timeoutMs = 10_000) {
  return provisioner.run(sessionId, container, ["sh", "-c", script], { timeoutMs });
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
