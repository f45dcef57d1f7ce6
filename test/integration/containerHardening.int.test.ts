// What a learner can leave on the machine or run inside a lab container: container output has a
// bounded log, no writable place runs programs (except /dev, where the engine cannot: see
// README, Security), and a program pasted into /dev runs with no capabilities.
import { stat } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engine, sh, startLab, teardownAll } from "../support/lab";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { containerName } from "../../worker/provisioner/docker/names";

const docker = createDockerClient(process.env.DOCKER_HOST);
afterAll(teardownAll);

let sessionId: string;
beforeAll(async () => {
  ({ sessionId } = await startLab({ containers: [{ name: "busybox1" }] }));
});

/** Sizes of the container's log and its rotated files on the machine's disk. */
async function logBytes(name: string): Promise<number> {
  const { LogPath } = await docker.getContainer(containerName(sessionId, name)).inspect();
  let total = 0;
  for (const file of [LogPath, `${LogPath}.1`, `${LogPath}.2`])
    total += await stat(file).then(
      (s) => s.size,
      () => 0,
    );
  return total;
}

describe("container output", () => {
  it("writing to the container's stdout for 10 s leaves under 1 MiB on the machine's disk", async () => {
    const flood = await sh(
      sessionId,
      "busybox1",
      "timeout 10 sh -c 'while :; do cat /bin/busybox; done' >/proc/1/fd/1 2>&1; echo flooded",
      30_000,
    );
    expect(flood.output).toContain("flooded");
    expect(await logBytes("busybox1")).toBeLessThan(1024 * 1024);
  });
});

describe("writable places", () => {
  /** For every writable mount: can a copy of busybox be written there, and does it run? */
  const probe = `
    for d in $(awk '$4 ~ /(^|,)rw(,|$)/ {print $2}' /proc/mounts); do
      f="$d/busybox" # the name busybox needs to run as itself
      if cp /bin/busybox "$f" 2>/dev/null; then
        if "$f" true 2>/dev/null; then echo "runs $d"; else echo "refused $d"; fi
        rm -f "$f"
      fi
    done`;

  it("no writable mount runs a program copied there, except /dev", async () => {
    const { output } = await sh(sessionId, "busybox1", probe);
    const runs = output
      .split("\n")
      .filter((l) => l.startsWith("runs "))
      .map((l) => l.slice(5));
    const refused = output
      .split("\n")
      .filter((l) => l.startsWith("refused "))
      .map((l) => l.slice(8));
    expect(refused).toEqual(expect.arrayContaining(["/tmp", "/root"]));
    expect(runs).toEqual(["/dev"]);
  });

  it("a program pasted into /dev runs with no capabilities, no new privileges and no raw sockets", async () => {
    const { output } = await sh(
      sessionId,
      "busybox1",
      "cp /bin/busybox /dev/busybox && /dev/busybox grep -E '^(CapEff|CapPrm|NoNewPrivs):' /proc/self/status; /dev/busybox arping -c 1 -w 1 -I eth0 127.0.0.1 2>&1; rm -f /dev/busybox",
    );
    expect(output).toMatch(/^CapPrm:\s+0000000000000000$/m);
    expect(output).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(output).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(output).toMatch(/arping: socket: Operation not permitted/);
  });

  it("device nodes and terminals work", async () => {
    const { output } = await sh(
      sessionId,
      "busybox1",
      "echo x >/dev/null && echo null-ok; head -c 3 /dev/zero | wc -c; head -c 4 /dev/urandom | wc -c; echo s >/dev/shm/s && cat /dev/shm/s; ls /dev/pts/ptmx",
    );
    expect(output.split("\n").map((l) => l.trim())).toEqual(["null-ok", "3", "4", "s", "/dev/pts/ptmx", ""]);
    const terminal = await engine.openTerminal(sessionId, "busybox1", { cols: 80, rows: 24 });
    try {
      let screen = "";
      const seen = new Promise<void>((resolve) =>
        terminal.stream.on("data", (chunk: Buffer) => {
          screen += chunk.toString();
          if (/tty-42/.test(screen) && /\/dev\/pts\/\d+/.test(screen)) resolve(); // 42: the shell ran it
        }),
      );
      terminal.stream.write("tty; echo tty-$((40+2)) >/dev/tty\n");
      await seen;
    } finally {
      await terminal.close();
    }
  });
});
