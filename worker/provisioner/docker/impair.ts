// Link impairment on the engine (the ImpairPort): one long-running helper container per impaired
// interface, in the network namespace of one of the session's containers (NetworkMode
// container:<its id>, never the machine's), image NETTOOLS_IMAGE (wireroom/nettools), NET_ADMIN only (CapDrop ALL),
// read-only root, the learner's limits, the session's labels with kind "helper" (teardown and
// reconcile remove it; the learner's views, listings and capacity leave helpers out). Its command
// is `wr-impair apply IFACE DELAY JITTER LOSS RATE` (images/nettools/wr-impair): it applies
// the impairment, stays in the foreground, and removes exactly what it added when stopped. Labels
// carry what it applies, so the engine's state is readable without the database.
import { createHash } from "node:crypto";
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import type { AppliedLink, ImpairPort, NamespaceHandle } from "~/core/provisioner/impairPort";
import { formatLinkSpec, type LinkSpec } from "~/protocol/linkSpec";
import type { ProvisionerConfig } from "../../config";
import { createDockerClient } from "./client";
import { hardening, type ContainerLimits } from "./containers";
import { engine, statusOf, toProvisionerError } from "./errors";
import { namespaceOwner } from "./namespaceOwner";
import { assertOwned, containerName, containerNames, LABEL_KIND, LABEL_SESSION, sessionLabels } from "./names";

const LABEL_LINK = "io.wireroom.link";
const LABEL_CONTAINER = `${LABEL_LINK}.container`;
const LABEL_IFACE = `${LABEL_LINK}.iface`;
const LABEL_NAMESPACE = `${LABEL_LINK}.namespace`;
const LABEL_SPEC = `${LABEL_LINK}.spec`;

/** How long a helper may take to say its impairment is in effect. */
const READY_TIMEOUT_MS = 20_000;
/** How long a stopped helper has to remove what it added (its trap) before the engine kills it. */
const STOP_SECONDS = 5;
/** A helper's CPU: half of one, like the capture helper's (nfdelay wakes per packet; a flood must not take a core). */
const HELPER_NANO_CPUS = 500_000_000;

/** image: NETTOOLS_IMAGE (images/nettools: wr-impair, nfdelay, tc, iptables). */
export type ImpairOptions = { installationId: string; limits: ContainerLimits; image: string };

/** The helper's name in the session ('.' is not allowed in a learner's names): one per namespace owner and interface. */
export function linkHelperName(owner: string, iface: string): string {
  return `link.${createHash("sha256").update(`${owner}/${iface}`).digest("hex").slice(0, 12)}`;
}

/** wr-impair's arguments for a spec. */
export function impairArgs(iface: string, spec: LinkSpec): string[] {
  return [
    "wr-impair",
    "apply",
    iface,
    String(spec.delayMs),
    String(spec.jitterMs),
    String(spec.lossPct),
    String(spec.rateKbit ?? 0),
  ];
}

/**
 * Whether the helper's output says the impairment is in effect: wr-impair's line for the interface
 * (netem, or rate and rules set) and, with a delay or a loss outside netem, nfdelay bound to its queue
 * (it holds and drops the packets of its NFQUEUE rule).
 */
export function impairReady(output: string, iface: string, spec: LinkSpec): boolean {
  const line = new RegExp(`^wr-impair: ${iface.replace(/[.]/g, "\\.")}: (netem|delay)`, "m").exec(output);
  if (!line) return false;
  return line[1] === "netem" || (spec.delayMs === 0 && spec.lossPct === 0) || /^nfdelay: queue /m.test(output);
}

function specOfLabels(labels: Record<string, string>): LinkSpec | undefined {
  try {
    const spec = JSON.parse(labels[LABEL_SPEC] ?? "") as LinkSpec;
    return typeof spec.delayMs === "number" ? spec : undefined;
  } catch {
    return undefined;
  }
}

export function createDockerImpairer(docker: Docker, options: ImpairOptions): ImpairPort {
  const { image } = options;

  async function inspect(sessionId: string, name: string): Promise<Docker.ContainerInspectInfo | undefined> {
    for (const engineName of containerNames(sessionId, name)) {
      try {
        const info = await docker.getContainer(engineName).inspect();
        assertOwned(info.Config.Labels, sessionId, `container ${name}`);
        return info;
      } catch (error) {
        if (statusOf(error) === 404) continue;
        throw toProvisionerError(error);
      }
    }
    return undefined;
  }

  /** Stops (its trap removes what it added) and removes a helper; gone already is fine. */
  async function stopAndRemove(ref: string): Promise<void> {
    const helper = docker.getContainer(ref);
    await helper.stop({ t: STOP_SECONDS }).catch((error: unknown) => {
      if (statusOf(error) !== 304 && statusOf(error) !== 404) throw toProvisionerError(error);
    });
    await helper.remove({ force: true }).catch((error: unknown) => {
      if (statusOf(error) !== 404 && statusOf(error) !== 409) throw toProvisionerError(error);
    });
  }

  /** The helper's output until it says the impairment is in effect, or it exits (an error with its words). */
  async function untilReady(helper: Docker.Container, iface: string, spec: LinkSpec): Promise<void> {
    const stream = (await engine(() =>
      helper.logs({ follow: true, stdout: true, stderr: true }),
    )) as unknown as NodeJS.ReadableStream & {
      destroy(): void;
    };
    const out = new PassThrough();
    docker.modem.demuxStream(stream, out, out);
    let text = "";
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`the link helper did not apply it within ${READY_TIMEOUT_MS / 1000} s: ${text.trim() || "no output"}`),
            ),
          READY_TIMEOUT_MS,
        );
        const done = (error?: Error) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        out.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8");
          if (text.length > 16_384) text = text.slice(-16_384);
          if (impairReady(text, iface, spec)) done();
        });
        stream.on("end", () => {
          const said = text.trim().split("\n").filter(Boolean).pop();
          done(new Error(said ? said.replace(/^wr-impair: /, "") : "the link helper exited without a word"));
        });
        stream.on("error", (error: Error) => done(toProvisionerError(error)));
      });
    } finally {
      stream.destroy();
    }
  }

  /** `wr-impair clear IFACE` once in a namespace (a helper that died could not remove what it added). */
  async function clearOnce(sessionId: string, namespaceId: string, owner: string, iface: string): Promise<void> {
    const name = containerName(sessionId, `${linkHelperName(owner, iface)}.clear`);
    await stopAndRemove(name);
    try {
      const helper = await engine(() =>
        docker.createContainer({
          name,
          Image: image,
          Cmd: ["wr-impair", "clear", iface],
          Labels: { ...sessionLabels(sessionId, "link.clear", options.installationId), [LABEL_KIND]: "helper" },
          HostConfig: {
            ...hardening(options.limits),
            NanoCpus: HELPER_NANO_CPUS,
            NetworkMode: `container:${namespaceId}`,
            CapAdd: ["NET_ADMIN"],
          },
        }),
      );
      await engine(() => helper.start());
      await engine(() => helper.wait({ condition: "not-running" }));
    } finally {
      await stopAndRemove(name);
    }
  }

  async function namespaceOf(sessionId: string, owner: string): Promise<NamespaceHandle | undefined> {
    const named = await inspect(sessionId, owner);
    if (!named) return undefined;
    // The namespace it is in (namespaceOwner.ts, as for captures: each hop the session's and running,
    // never the machine's namespace).
    const found = await namespaceOwner(docker, sessionId, named.Id);
    if (!found.found) return undefined;
    return { owner, key: `${found.info.Id}:${found.info.State.Pid}` };
  }

  return {
    namespace: namespaceOf,

    async applied(sessionId) {
      const listed = await engine(() =>
        docker.listContainers({ all: true, filters: { label: [`${LABEL_SESSION}=${sessionId}`, LABEL_IFACE] } }),
      );
      return listed.flatMap((c): AppliedLink[] => {
        const spec = specOfLabels(c.Labels);
        const container = c.Labels[LABEL_CONTAINER];
        const iface = c.Labels[LABEL_IFACE];
        // A helper whose labels do not read matches nothing wanted: reconcile removes it.
        const known = spec && container && iface;
        return [
          {
            helper: c.Id,
            container: known ? container : "",
            iface: known ? iface : "",
            namespace: c.Labels[LABEL_NAMESPACE] ?? "",
            spec: spec ?? { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: null },
            running: c.State === "running",
          },
        ];
      });
    },

    async apply(sessionId, namespace: NamespaceHandle, iface, spec) {
      const name = containerName(sessionId, linkHelperName(namespace.owner, iface));
      await stopAndRemove(name);
      const namespaceId = namespace.key.split(":")[0]!;
      const helper = await engine(() =>
        docker.createContainer({
          name,
          Image: image,
          Cmd: impairArgs(iface, spec),
          Labels: {
            ...sessionLabels(sessionId, linkHelperName(namespace.owner, iface), options.installationId),
            [LABEL_KIND]: "helper",
            [LABEL_CONTAINER]: namespace.owner,
            [LABEL_IFACE]: iface,
            [LABEL_NAMESPACE]: namespace.key,
            [LABEL_SPEC]: JSON.stringify(spec),
          },
          HostConfig: {
            ...hardening(options.limits),
            NanoCpus: HELPER_NANO_CPUS,
            NetworkMode: `container:${namespaceId}`,
            CapAdd: ["NET_ADMIN"], // after CapDrop ALL: the only capability it has, in that namespace only
          },
        }),
      );
      try {
        await engine(() => helper.start());
        await untilReady(helper, iface, spec);
      } catch (error) {
        await stopAndRemove(name).catch(() => undefined);
        throw new Error(`could not set ${formatLinkSpec(spec)} on ${namespace.owner}'s ${iface}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },

    async remove(sessionId, link) {
      const wasRunning = link.running;
      await stopAndRemove(link.helper);
      if (wasRunning || !link.container || !link.iface) return;
      // It had died: what it added may still be there, if its namespace still is.
      const now = await namespaceOf(sessionId, link.container).catch(() => undefined);
      if (now && now.key === link.namespace) await clearOnce(sessionId, now.key.split(":")[0]!, link.container, link.iface);
    },
  };
}

/** The impairer from the worker's settings (the learner containers' limits). */
export function impairerFromConfig(config: ProvisionerConfig, installationId: string): ImpairPort {
  return createDockerImpairer(createDockerClient(config.DOCKER_HOST), {
    installationId,
    image: config.NETTOOLS_IMAGE,
    limits: { memoryMb: config.CONTAINER_MEMORY_MB, pidsLimit: config.CONTAINER_PIDS_LIMIT, tmpfsMb: config.CONTAINER_TMPFS_MB },
  });
}
