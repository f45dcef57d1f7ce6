// The engine as integration tests, end-to-end tests and benchmarks see it: the worker's own Docker
// adapter (dockerode lives only there), built here and nowhere else.
import type { Db } from "~/core/db";
import { getInstallationId } from "~/core/installation";
import type { Provisioner } from "~/core/provisioner/port";
import { loadProvisionerConfig } from "../../worker/config";
import { dockerProvisionerFromConfig } from "../../worker/provisioner/docker/fromConfig";

/**
 * What tests provision straight through the engine belongs to no database, so no worker's
 * reconcile (which only reaps its own installation's objects) ever removes it under a test.
 */
export const TEST_INSTALLATION = "00000000-0000-4000-8000-00000000feed";

function engineOf(installationId: string, env: NodeJS.ProcessEnv = process.env): Provisioner {
  return dockerProvisionerFromConfig(loadProvisionerConfig(env), installationId);
}

/**
 * The engine. It provisions under TEST_INSTALLATION; it reads, runs in and removes any session's
 * objects, whichever installation made them (those are found by session, not by installation).
 */
export const engine: Provisioner = engineOf(TEST_INSTALLATION);

/**
 * The engine as the worker of the database `db` sees it, for the few tests that must act as that
 * worker: what it provisions is that installation's, so the worker reconciles (or reaps) it. `env`
 * holds the worker's settings when they are not this process's.
 */
export async function installationEngine(db: Db, env: NodeJS.ProcessEnv = process.env): Promise<Provisioner> {
  return engineOf(await getInstallationId(db), env);
}
