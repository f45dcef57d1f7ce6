// The capture helper: tcpdump (NETTOOLS_IMAGE) in a container that joins the network namespace of
// one container of one session (`NetworkMode: container:<its id>`; a container that shares another's
// namespace, or runs in the session's host mode, is followed to the namespace's owner, which must be
// the session's too). NET_RAW is its only capability (the image's tcpdump is built without a user
// to switch to, so it never needs SETUID/SETGID); read-only root, no new privileges, small memory,
// pids and CPU limits. Its stdout is the pcap stream (non-TTY attach, demultiplexed); the learner's
// container gains nothing.
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import {
  CaptureRefused,
  type CapturePort,
  type CaptureSink,
  type CaptureTarget,
  type RunningCapture,
} from "~/core/provisioner/capturePort";
import { hardening } from "./containers";
import { engine, statusOf, toProvisionerError } from "./errors";
import { namespaceOwner } from "./namespaceOwner";
import {
  containerName,
  HELPER_KIND,
  installationFilters,
  LABEL_KIND,
  LABEL_WORKER,
  labelOf,
  sessionFilters,
  sessionLabels,
} from "./names";
import { ifaceNameSchema } from "~/protocol/labNames";
import { createDockerClient } from "./client";

/** A capture helper's name in the session ('.' is never in a learner's names). */
export const CAPTURE_HELPER_PREFIX = "capture.";
const READY_WITHIN_MS = 15_000;
const NO_INTERFACE_EXIT = 3;
const MAX_STDERR = 4096;

const HELPER_LIMITS = { memoryMb: 48, pidsLimit: 8, tmpfsMb: 1 };

/**
 * The helper's command: refuse an interface the namespace does not have (sysfs is the joined
 * namespace's), listing those it has, then tcpdump: packet-buffered pcap on stdout, no name lookups.
 * The interface is an argument ($1), never part of the script.
 */
export function captureCommand(iface: string, snaplen: number, filter?: string): string[] {
  if (!ifaceNameSchema.safeParse(iface).success) throw new Error(`bad interface name ${iface}`);
  const script = [
    'if [ ! -e "/sys/class/net/$1" ]; then',
    '  echo "no interface $1; interfaces: $(ls /sys/class/net | tr "\\n" " ")" >&2',
    `  exit ${NO_INTERFACE_EXIT}`,
    "fi",
    "iface=$1 snaplen=$2",
    "shift 2",
    'exec tcpdump -i "$iface" -U -w - -s "$snaplen" -n --immediate-mode "$@"',
  ].join("\n");
  // The filter is one argument (tcpdump joins its expression arguments), never part of the script.
  return ["sh", "-c", script, "capture", iface, String(snaplen), ...(filter ? [filter] : [])];
}

/** workerId: the worker reading the helpers (their label), so a starting worker removes only its own leftovers. */
type Options = { image: string; installationId: string; workerId: string };

export function createDockerCapturePort(docker: Docker, options: Options): CapturePort {
  const listSession = async (sessionId: string) => {
    const lists = await engine(() =>
      Promise.all(sessionFilters(sessionId).map((filters) => docker.listContainers({ all: true, filters }))),
    );
    return lists.flat().filter((c) => labelOf(c.Labels, "session") === sessionId);
  };

  /** The session's container by its name (never a helper), or undefined. */
  const findContainer = async (sessionId: string, name: string) =>
    (await listSession(sessionId)).find((c) => labelOf(c.Labels, "name") === name && labelOf(c.Labels, "kind") !== HELPER_KIND);

  /** The engine id of the namespace's owner (namespaceOwner.ts: each hop the session's and running, never the machine's). */
  async function namespaceOwnerId(target: CaptureTarget): Promise<string> {
    const missing = () =>
      new CaptureRefused(
        `this session has no running container "${target.container}": name one of its containers (as in docker ps), host or dns`,
      );
    const found = await findContainer(target.sessionId, target.container);
    if (!found) throw missing();
    const owner = await namespaceOwner(docker, target.sessionId, found.Id);
    if (owner.found) return owner.info.Id;
    if (owner.why === "stopped") throw new CaptureRefused(`"${target.container}" is not running: start it, then capture`);
    throw missing();
  }

  async function remove(name: string) {
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch((error: unknown) => {
        if (statusOf(error) !== 404 && statusOf(error) !== 409) throw toProvisionerError(error);
      });
  }

  return {
    async start(target, sink: CaptureSink): Promise<RunningCapture> {
      const owner = await namespaceOwnerId(target);
      const label = `${CAPTURE_HELPER_PREFIX}${Math.random().toString(36).slice(2, 10)}`;
      const name = containerName(target.sessionId, label);
      const host: Docker.HostConfig = {
        ...hardening(HELPER_LIMITS),
        Tmpfs: {},
        NetworkMode: `container:${owner}`,
        CapAdd: ["NET_RAW"], // after CapDrop ALL: the only capability it has
        NanoCpus: 500_000_000,
        // The pcap stream is read through the attach; nothing of it goes to the machine's disk.
        LogConfig: { Type: "none", Config: {} },
      };
      const helper = await engine(() =>
        docker.createContainer({
          name,
          Image: options.image,
          Cmd: captureCommand(target.iface, target.snaplen, target.filter),
          Labels: {
            ...sessionLabels(target.sessionId, label, options.installationId),
            [LABEL_KIND]: HELPER_KIND,
            [LABEL_WORKER]: options.workerId,
          },
          AttachStdout: true,
          AttachStderr: true,
          Tty: false,
          HostConfig: host,
        }),
      );
      let stopped = false;
      let listening = false;
      let stderr = "";
      const stdout = new PassThrough();
      const errors = new PassThrough();
      stdout.on("data", (chunk: Buffer) => {
        if (!stopped) sink.data(chunk);
      });
      let onListening: () => void = () => undefined;
      errors.on("data", (chunk: Buffer) => {
        if (stderr.length < MAX_STDERR) stderr += chunk.toString("utf8").slice(0, MAX_STDERR - stderr.length);
        if (!listening && stderr.includes("listening on ")) {
          listening = true;
          onListening();
        }
      });
      try {
        const stream = (await engine(() =>
          helper.attach({ stream: true, stdout: true, stderr: true }),
        )) as NodeJS.ReadWriteStream;
        docker.modem.demuxStream(stream, stdout, errors);
        const streamEnded = new Promise<void>((resolve) => {
          stream.on("end", resolve);
          stream.on("close", resolve);
          stream.on("error", () => resolve());
        });
        await engine(() => helper.start());
        const exited = engine(() => helper.wait({ condition: "not-running" }) as Promise<{ StatusCode: number }>);
        let timer: NodeJS.Timeout | undefined;
        const ready = await Promise.race([
          new Promise<"ready">((resolve) => {
            onListening = () => resolve("ready");
            if (listening) resolve("ready");
          }),
          exited.then((r) => r),
          new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), READY_WITHIN_MS))),
        ]).finally(() => clearTimeout(timer));
        if (ready !== "ready") {
          // Let the last of its stderr arrive before reading it.
          await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 500))]);
          if (ready === "timeout") throw new Error(`the capture helper did not start within ${READY_WITHIN_MS} ms`);
          const said = stderr.trim().replace(/^tcpdump: /, "");
          if (ready.StatusCode === NO_INTERFACE_EXIT) {
            const has = /interfaces: (.*)$/.exec(said)?.[1]?.trim().split(/\s+/).join(", ");
            throw new CaptureRefused(
              `"${target.container}" has no interface "${target.iface}"${has ? `: its interfaces are ${has}` : ""}`,
            );
          }
          throw new CaptureRefused(
            `capture on "${target.container}" ${target.iface} failed: ${said || `exit ${ready.StatusCode}`}`,
          );
        }
        // Ended by itself (its namespace or interface went away): report, then remove the helper.
        void exited
          .catch(() => undefined)
          .then(async () => {
            await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 1000))]);
            if (stopped) return;
            stopped = true;
            const said = stderr.split("\n").find((line) => /error|disappeared|went down|No such/i.test(line));
            sink.ended(said ? `the capture stopped: ${said.replace(/^tcpdump: /, "")}` : "the captured container stopped");
            await remove(name).catch(() => undefined);
          });
        return {
          helper: name,
          async stop() {
            stopped = true;
            await remove(name);
          },
        };
      } catch (error) {
        stopped = true;
        await remove(name).catch(() => undefined);
        throw error;
      }
    },

    async removeAll(sessionId) {
      const listed =
        sessionId === undefined
          ? (
              await engine(() =>
                Promise.all(
                  installationFilters(options.installationId).map((filters) => docker.listContainers({ all: true, filters })),
                ),
              )
            ).flat()
          : await listSession(sessionId);
      // Without a session (a worker starting): only this worker's helpers, and those of no worker;
      // another worker of the installation still reads its own.
      const helpers = listed.filter(
        (c) =>
          labelOf(c.Labels, "kind") === HELPER_KIND &&
          (labelOf(c.Labels, "name") ?? "").startsWith(CAPTURE_HELPER_PREFIX) &&
          (sessionId !== undefined || [undefined, options.workerId].includes(c.Labels?.[LABEL_WORKER])),
      );
      await Promise.all(helpers.map((c) => remove(c.Id)));
    },

    async isRunning(sessionId, container) {
      try {
        await namespaceOwnerId({ sessionId, container, iface: "lo", snaplen: 0 });
        return true;
      } catch (error) {
        if (error instanceof CaptureRefused) return false;
        throw error;
      }
    },
  };
}

export function dockerCaptureFromConfig(
  config: { DOCKER_HOST?: string | undefined; NETTOOLS_IMAGE: string; WORKER_ID: string },
  installationId: string,
): CapturePort {
  return createDockerCapturePort(createDockerClient(config.DOCKER_HOST), {
    image: config.NETTOOLS_IMAGE,
    installationId,
    workerId: config.WORKER_ID,
  });
}
