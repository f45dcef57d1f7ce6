// Link impairment on the real engine (issue 15): the host terminal's `link` command (its request,
// POST /wireroom/link on the session's own socket) and the links.* procedures set delay, loss and
// rate on an interface of a session's container, through a helper in that container's namespace.
// The figures are measured in the lab itself: ping times and loss from busybox1 to busybox2, a
// 1 MB transfer over nc. Clearing restores them. The class-wide setting reaches every session of
// the class and no other. Runs alone (test/support/engineTurns.ts): a neighbour's load would blur
// the figures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getInstallationId } from "~/core/installation";
import { reconcileLinks } from "~/core/links/reconcileLinks";
import { TEACHER } from "~/protocol/accountRoles";
import { Status } from "~/protocol/sessionStatus";
import type { RunningWorker } from "../../worker/app";
import { loadProvisionerConfig } from "../../worker/config";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { impairerFromConfig } from "../../worker/provisioner/docker/impair";
import { readEngineView } from "../../worker/tasks/refreshEngineView";
import { enrol, makeClass, inviteTo } from "../support/classWorld";
import { connectTerminal, db, engine, eventually, testWorker, waitForStatus } from "../support/harness";
import { person, type Person } from "../support/people";
import { refused } from "../support/refused";
import { link } from "../support/sessionEndpoint";
import { PROMPT, run } from "../support/typing";

const config = loadProvisionerConfig(process.env);
const docker = createDockerClient(config.DOCKER_HOST);

let worker: RunningWorker;
let owner: Person;
let sessionId: string;
let peer: string; // busybox2's address
let sender: string; // busybox1's address

type PingFigures = { sent: number; received: number; lossPct: number; avgMs: number | undefined };

/**
 * Pings from a container of the session and reads busybox ping's summary. The interval (0.1 s) is
 * shorter than a 200 ms delay: several echo requests wait in the delay queue at once, and none may be
 * lost (wr-impair sends ICMP untracked; conntrack used to drop those held behind a new flow's first).
 */
async function ping(sid: string, from: string, to: string, args: string[] = ["-c", "5", "-i", "0.1"]): Promise<PingFigures> {
  const { output } = await engine.run(sid, from, ["ping", "-W", "2", ...args, to], { timeoutMs: 30_000 });
  const counts = /(\d+) packets transmitted, (\d+) packets received, (\d+)% packet loss/.exec(output);
  if (!counts) throw new Error(`no ping summary in: ${output}`);
  const avg = /min\/avg\/max = [\d.]+\/([\d.]+)\//.exec(output);
  return {
    sent: Number(counts[1]),
    received: Number(counts[2]),
    lossPct: Number(counts[3]),
    avgMs: avg ? Number(avg[1]) : undefined,
  };
}

/**
 * Seconds to send `bytes` from busybox1 to busybox2 over TCP, measured in busybox2 from its connect
 * to the sender's close (/proc/uptime). busybox1 serves the bytes (`nc -l -e`: the program's exit
 * closes the connection after its data; busybox nc's own stdin EOF would cut it short); busybox2
 * connects, retrying until busybox1 listens.
 */
async function transferSeconds(sid: string, bytes: number): Promise<number> {
  const serving = engine.run(sid, "busybox1", ["nc", "-l", "-p", "5001", "-e", "sh", "-c", `head -c ${bytes} /dev/zero`], {
    timeoutMs: 40_000,
  });
  const receive = [
    "rm -f /tmp/n",
    "for i in $(seq 100); do",
    "  s=$(cut -d' ' -f1 /proc/uptime)",
    `  if nc ${sender} 5001 -e sh -c 'wc -c > /tmp/n' 2>/dev/null; then e=$(cut -d' ' -f1 /proc/uptime); echo "$(cat /tmp/n) $s $e"; exit 0; fi`,
    "  usleep 50000",
    "done; exit 1",
  ].join("\n");
  const [received] = await Promise.all([engine.run(sid, "busybox2", ["sh", "-c", receive], { timeoutMs: 40_000 }), serving]);
  const [count, start, end] = received.output.trim().split(" ").map(Number) as [number, number, number];
  expect(count).toBe(bytes);
  return end - start;
}

/** The session's link helper containers on the engine. */
async function helpers(sid: string) {
  return docker.listContainers({ all: true, filters: { label: [`io.wireroom.session=${sid}`, "io.wireroom.link.iface"] } });
}

async function twoBridgesSession(who: Person): Promise<string> {
  const id = (await who.api.session.start({ labSlug: "two-bridges" })).id;
  await waitForStatus(id, [Status.ready], 60_000);
  return id;
}

/** A container's IPv4 address on its eth0. */
async function addressOf(sid: string, container: string): Promise<string> {
  const { output } = await engine.run(sid, container, ["sh", "-c", "ip -o -4 addr show dev eth0"]);
  return /inet (\d+\.\d+\.\d+\.\d+)\//.exec(output)![1]!;
}

beforeAll(async () => {
  // The reconcile timer (and the links pass on it) every 10 s: a dead helper comes back within it.
  worker = await testWorker({ RECONCILE_INTERVAL_SECONDS: "10" });
  owner = await person();
  sessionId = await twoBridgesSession(owner);
  peer = await addressOf(sessionId, "busybox2");
  sender = await addressOf(sessionId, "busybox1");
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  const sessions = await db().labSession.findMany({ select: { id: true } });
  await Promise.all(sessions.map(({ id }) => engine.teardown(id).catch(() => undefined)));
});

describe("the link command", () => {
  it("a 200 ms delay shows in ping times, and clearing it restores them", async () => {
    const before = await ping(sessionId, "busybox1", peer);
    expect(before.avgMs).toBeLessThan(50);

    const set = await link(sessionId, "set", "busybox1", "eth0", "delay", "200ms");
    expect(set).toEqual({ status: 200, text: "busybox1 eth0: delay 200ms\n" });
    const delayed = await ping(sessionId, "busybox1", peer);
    console.log(
      `ping -c 5 -i 0.1 busybox1 -> busybox2: avg ${before.avgMs} ms before, ${delayed.avgMs} ms with delay 200ms, ${delayed.lossPct}% lost`,
    );
    expect(delayed).toMatchObject({ sent: 5, received: 5, lossPct: 0 });
    expect(delayed.avgMs).toBeGreaterThanOrEqual(180);
    expect(delayed.avgMs).toBeLessThan(400);

    const show = await link(sessionId, "show");
    expect(show.status).toBe(200);
    expect(show.text).toMatch(/^CONTAINER\s+IFACE\s+IMPAIRMENT\s+SET BY\nbusybox1\s+eth0\s+delay 200ms\s+this session\n$/);

    expect(await link(sessionId, "clear", "busybox1", "eth0")).toEqual({ status: 200, text: "busybox1 eth0: cleared\n" });
    const after = await ping(sessionId, "busybox1", peer);
    expect(after.avgMs).toBeLessThan(50);
    expect(await helpers(sessionId)).toEqual([]);
  }, 60_000);

  it("50 % loss shows in ping's loss figure, and clearing it restores it", async () => {
    expect((await link(sessionId, "set", "busybox1", "eth0", "loss", "50%")).status).toBe(200);
    const lossy = await ping(sessionId, "busybox1", peer, ["-c", "40", "-i", "0.05"]);
    console.log(`ping -c 40 with loss 50%: ${lossy.lossPct}% lost`);
    expect(lossy.lossPct).toBeGreaterThanOrEqual(25);
    expect(lossy.lossPct).toBeLessThanOrEqual(75);

    expect((await link(sessionId, "clear", "busybox1", "eth0")).status).toBe(200);
    const clean = await ping(sessionId, "busybox1", peer, ["-c", "20", "-i", "0.05"]);
    expect(clean.lossPct).toBe(0);
  }, 60_000);

  it("a 1 mbit rate shows in a 1 MB transfer's time, and clearing it restores it", async () => {
    const before = await transferSeconds(sessionId, 1_000_000);
    expect(before).toBeLessThan(1);

    expect(await link(sessionId, "set", "busybox1", "eth0", "rate", "1mbit")).toEqual({
      status: 200,
      text: "busybox1 eth0: rate 1mbit\n",
    });
    const limited = await transferSeconds(sessionId, 1_000_000);
    console.log(`1 MB over nc: ${before.toFixed(2)} s before, ${limited.toFixed(2)} s at rate 1mbit`);
    expect(limited).toBeGreaterThanOrEqual(6);

    expect((await link(sessionId, "clear", "busybox1", "eth0")).status).toBe(200);
    expect(await transferSeconds(sessionId, 1_000_000)).toBeLessThan(1);
  }, 60_000);

  it("refuses bad values, other sessions' containers and the machine's interfaces in one line each, and changes nothing", async () => {
    const refusals: [string[], RegExp][] = [
      [
        ["set", "busybox1", "eth0", "delay", "9000ms"],
        /^link: delay is at most 5000ms \(accepted: delay 0-5000ms, jitter 0-delay, loss 0-100%, rate 8kbit-1gbit or none\)\n$/,
      ],
      [["set", "busybox1", "eth0", "loss", "150%"], /^link: loss is at most 100% \(accepted: .*\)\n$/],
      [["set", "busybox1", "eth0", "rate", "2kbit"], /^link: rate is at least 8kbit \(accepted: .*\)\n$/],
      [
        ["set", "busybox1", "eth0", "delay", "100ms", "jitter", "300ms"],
        /^link: jitter cannot be larger than the delay \(accepted: .*\)\n$/,
      ],
      [
        ["set", "busybox1", "eth0", "delay", "soon"],
        /^link: delay "soon" is not a duration: write e\.g\. delay 200ms or delay 0\.2s \(accepted: .*\)\n$/,
      ],
      [
        ["set", "busybox1", "eth0", "speed", "1mbit"],
        /^link: unknown setting "speed": use delay, jitter, loss or rate \(accepted: .*\)\n$/,
      ],
      [["set", "busybox1", "eth0"], /^link: give at least one of delay, loss or rate/],
      [["frobnicate"], /^link: unknown command "frobnicate": use show, set, clear or help\nusage: link show\n/],
      [
        ["set", "busybox9", "eth0", "delay", "10ms"],
        /^link: no container "busybox9" in this session; name one of: host, busybox1, busybox2\n$/,
      ],
      [
        ["set", "../../x", "eth0", "delay", "10ms"],
        /^link: "..\/..\/x" is not a container name; name one of this session's: host, busybox1, busybox2\n$/,
      ],
      [
        ["set", "busybox1", "eth0;reboot", "delay", "10ms"],
        /^link: "eth0;reboot" is not an interface name: 1-15 letters, digits, '_', '\.' or '-' \(e\.g\. eth0\)\n$/,
      ],
      // The machine's interfaces are not in a session container's namespace.
      [["set", "busybox1", "docker0", "delay", "10ms"], /^link: busybox1 has no interface "docker0"; it has: lo, eth0\n$/],
      [["set", "busybox1", "ifb0", "delay", "10ms"], /^link: busybox1 has no interface "ifb0"; it has: lo, eth0\n$/],
      [
        ["set", "host", "docker_gwbridge", "delay", "10ms"],
        /^link: host has no interface "docker_gwbridge"; it has: .*\bdocker0\b.*\n$/,
      ],
    ];
    for (const [args, message] of refusals) {
      const answer = await link(sessionId, ...args);
      expect.soft(answer.status, args.join(" ")).toBe(400);
      expect.soft(answer.text, args.join(" ")).toMatch(message);
    }
    expect(await helpers(sessionId)).toEqual([]);
    expect(await db().linkImpairment.count({ where: { sessionId } })).toBe(0);

    // Another session's container, by its engine name or id, is not one of this session's.
    const otherOwner = await person();
    const other = await twoBridgesSession(otherOwner);
    const [theirs] = await docker.listContainers({
      filters: { label: [`io.wireroom.session=${other}`, "io.wireroom.name=busybox1"] },
    });
    for (const name of [theirs!.Names[0]!.slice(1), theirs!.Id.slice(0, 12)]) {
      const answer = await link(sessionId, "set", name, "eth0", "delay", "10ms");
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/^link: (no container|".*" is not a container name)/);
    }
    expect(await helpers(other)).toEqual([]);
    expect(await helpers(sessionId)).toEqual([]);

    // Each change starts or removes a helper: a session's are bounded, whichever door asks. A refused
    // one costs nothing (the refusals above left this session's budget whole); 30 at once: at most 10 pass.
    for (let i = 0; i < 12; i++) expect((await link(other, "set", "busybox9", "eth0", "loss", "1%")).status).toBe(400);
    const answers = await Promise.all(Array.from({ length: 30 }, () => link(other, "set", "busybox1", "eth0", "loss", "1%")));
    const applied = answers.filter((a) => a.status === 200).length;
    console.log(`30 concurrent link sets: ${applied} applied, ${answers.filter((a) => a.status === 429).length} refused (429)`);
    expect(applied).toBeGreaterThan(0);
    expect(applied).toBeLessThanOrEqual(10);
    // Refused by the bound, or before it by the endpoint's cap on connections at once (16).
    const tooMany = "link: too many link changes in this session (at most 10 a minute); wait a moment and try again\n";
    expect(answers.filter((a) => a.status !== 200 && a.text !== tooMany).map((a) => a.status)).toEqual(
      answers.filter((a) => a.status !== 200 && a.text !== tooMany).map(() => 429),
    );
    expect(answers.filter((a) => a.text === tooMany).length).toBeGreaterThan(0);
    // The page's procedures spend the same bound.
    expect(await refused(otherOwner.api.links.clear({ sessionId: other, container: "busybox1", iface: "eth0" }))).toEqual({
      code: "TOO_MANY_REQUESTS",
      message: "Too many link changes in this session (at most 10 a minute); wait a moment and try again.",
    });
    expect((await link(other, "show")).text).toMatch(/busybox1\s+eth0\s+loss 1%\s+this session/);
    expect(await helpers(other)).toHaveLength(1);
  }, 90_000);

  it("the helper joins the container's namespace with NET_ADMIN only; the learner's container keeps no capability and does not list it", async () => {
    expect(
      (await link(sessionId, "set", "busybox2", "eth0", "delay", "20ms", "jitter", "5ms", "loss", "1%", "rate", "10mbit")).text,
    ).toBe("busybox2 eth0: delay 20ms jitter 5ms loss 1% rate 10mbit\n");
    const [helper] = await helpers(sessionId);
    const info = await docker.getContainer(helper!.Id).inspect();
    const [busybox2] = await docker.listContainers({
      filters: { label: [`io.wireroom.session=${sessionId}`, "io.wireroom.name=busybox2"] },
    });
    expect(info.HostConfig.NetworkMode).toBe(`container:${busybox2!.Id}`);
    expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
    expect(info.HostConfig.CapAdd).toEqual(["NET_ADMIN"]);
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.NanoCpus).toBe(500_000_000); // half a CPU, like the capture helper
    expect(info.Config.Labels["io.wireroom.kind"]).toBe("helper");

    // Reconciling again changes nothing.
    const impair = impairerFromConfig(config, await getInstallationId(db()));
    const again = await reconcileLinks({ db: db(), impair, readView: (id) => readEngineView(engine, id) }, sessionId);
    expect(again).toEqual({ applied: [], removed: [], forgotten: [], failed: [] });

    const caps = await engine.run(sessionId, "busybox2", ["sh", "-c", "grep CapEff /proc/self/status"]);
    expect(caps.output).toMatch(/CapEff:\s+0000000000000000/);
    // What the learner's `docker ps -a` and the session's views list: learner containers only.
    expect((await engine.containerView(sessionId)).map((c) => c.name)).toEqual(["busybox1", "busybox2"]);
    // A learner's root cannot undo it: no capability to change the qdisc or the rules.
    const undo = await engine.run(sessionId, "busybox2", [
      "sh",
      "-c",
      "tc qdisc del dev eth0 root; iptables -t mangle -F; echo $?",
    ]);
    expect(undo.output).not.toMatch(/^0$/m);

    // A helper that dies (killed: its trap never ran) is replaced, what it left cleared first.
    await docker.getContainer(helper!.Id).kill();
    const replaced = await eventually(
      "the killed helper to be replaced",
      async () => (await helpers(sessionId)).find((h) => h.Id !== helper!.Id && h.State === "running"),
      { timeoutMs: 25_000, intervalMs: 250 },
    );
    expect(replaced.Labels["io.wireroom.link.spec"]).toBe(helper!.Labels["io.wireroom.link.spec"]);
    expect((await ping(sessionId, "busybox2", sender)).avgMs).toBeGreaterThanOrEqual(15);
    expect((await link(sessionId, "clear", "busybox2", "eth0")).status).toBe(200);
    expect(await helpers(sessionId)).toEqual([]);
  }, 60_000);

  it("typed in the host terminal: the answer on stdout and exit 0, a refusal on stderr and exit 1", async () => {
    const issued = await owner.api.session.terminalToken({ sessionId, terminal: "host" });
    const terminal = await connectTerminal(worker.port, { token: issued.token, sessionId, terminal: "host" });
    try {
      await terminal.waitForOutput(PROMPT);
      const set = await run(terminal, "link set busybox1 eth0 delay 200ms 2>/dev/null");
      expect(set.output).toContain("busybox1 eth0: delay 200ms\n");
      expect(set.exitCode).toBe(0);
      expect((await ping(sessionId, "busybox1", peer)).avgMs).toBeGreaterThanOrEqual(180);
      const shown = await run(terminal, "link show");
      expect(shown.output).toMatch(/busybox1\s+eth0\s+delay 200ms\s+this session/);
      // A refusal goes to stderr: hidden here, and the exit status says it.
      const bad = await run(terminal, "link set busybox1 eth0 delay 9s 2>/dev/null");
      expect(bad.exitCode).toBe(1);
      expect(bad.output).not.toContain("at most");
      const newline = await run(terminal, `link set "$(printf 'busybox1\\neth0')" delay 10ms 2>&1`);
      expect(newline.exitCode).toBe(1);
      expect(newline.output).toContain("link: arguments cannot contain a line break");
      const cleared = await run(terminal, "link clear busybox1 eth0");
      expect(cleared.exitCode).toBe(0);
      expect(cleared.output).toContain("busybox1 eth0: cleared\n");
      expect((await ping(sessionId, "busybox1", peer)).avgMs).toBeLessThan(50);
    } finally {
      terminal.close();
    }
  }, 60_000);
});

describe("links.* procedures", () => {
  it("the owner sets and clears through the page's procedures; another learner is answered as for a missing session, a viewer is refused", async () => {
    // A session of its own: the link command's tests above spent this minute's changes of theirs.
    const pageOwner = await person();
    const page = await twoBridgesSession(pageOwner);
    const pagePeer = await addressOf(page, "busybox2");
    const views = await pageOwner.api.links.set({
      sessionId: page,
      container: "busybox1",
      iface: "eth0",
      spec: { delayMs: 200, jitterMs: 0, lossPct: 0, rateKbit: null },
    });
    expect(views).toEqual([
      {
        container: "busybox1",
        iface: "eth0",
        spec: { delayMs: 200, jitterMs: 0, lossPct: 0, rateKbit: null },
        source: "session",
      },
    ]);
    expect((await pageOwner.api.session.get({ sessionId: page })).links).toEqual(views);
    // The worker's job applies it.
    await eventually(
      "the delay to apply",
      async () => {
        const figures = await ping(page, "busybox1", pagePeer, ["-c", "2", "-i", "0.3"]);
        if ((figures.avgMs ?? 0) < 180) throw new Error(`avg ${figures.avgMs} ms`);
        return true;
      },
      { timeoutMs: 20_000 },
    );

    const stranger = await person();
    const missing = await refused(
      stranger.api.links.clear({ sessionId: "00000000-0000-4000-8000-000000000000", container: "busybox1", iface: "eth0" }),
    );
    expect(await refused(stranger.api.links.clear({ sessionId: page, container: "busybox1", iface: "eth0" }))).toEqual(missing);
    expect(missing.code).toBe("NOT_FOUND");
    const viewer = await person();
    await viewer.api.session.join({ invite: await inviteTo(pageOwner, page, "viewer") });
    expect(await refused(viewer.api.links.clear({ sessionId: page, container: "busybox1", iface: "eth0" }))).toEqual({
      code: "FORBIDDEN",
      message: "Viewers cannot change link settings; the session's owner or a driver can.",
    });
    expect(
      await refused(
        pageOwner.api.links.set({
          sessionId: page,
          container: "busybox1",
          iface: "eth0",
          spec: { delayMs: 10, jitterMs: 20, lossPct: 0, rateKbit: null },
        }),
      ),
    ).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/jitter cannot be larger than the delay/),
    });

    expect(await pageOwner.api.links.clear({ sessionId: page, container: "busybox1", iface: "eth0" })).toEqual([]);
    await eventually(
      "the delay to go",
      async () => {
        if ((await helpers(page)).length) throw new Error("a helper is left");
        return true;
      },
      { timeoutMs: 20_000 },
    );
    expect((await ping(page, "busybox1", pagePeer)).avgMs).toBeLessThan(50);
  }, 60_000);

  it("the class-wide impairment reaches every session of the class and no other, and its removal restores them", async () => {
    const instructor = await person({ role: TEACHER });
    const klass = await makeClass(instructor, "Slow links");
    const learners = [await person(), await person()];
    for (const l of learners) await enrol(l, klass);
    const classSessions = await Promise.all(
      learners.map(async (l) => (await l.api.classes.startAssignment({ assignmentId: klass.assignmentId })).id),
    );
    for (const id of classSessions) await waitForStatus(id, [Status.ready], 60_000);
    /** Ping from busybox1 to the session host's docker0 (.1), in each of the class's sessions. */
    const gatewayPing = async (id: string) => {
      const { output } = await engine.run(id, "busybox1", ["sh", "-c", "ip route | awk '/^default/ { print $3 }'"]);
      return ping(id, "busybox1", output.trim(), ["-c", "3", "-i", "0.3"]);
    };

    const outsider = await refused(
      owner.api.links.setForClass({ classId: klass.classId, spec: { delayMs: 200, jitterMs: 0, lossPct: 0, rateKbit: null } }),
    );
    expect(outsider.code).toBe("NOT_FOUND");
    await instructor.api.links.setForClass({
      classId: klass.classId,
      spec: { delayMs: 200, jitterMs: 0, lossPct: 5, rateKbit: null },
    });
    expect(await instructor.api.links.forClass({ classId: klass.classId })).toEqual({
      delayMs: 200,
      jitterMs: 0,
      lossPct: 5,
      rateKbit: null,
    });
    for (const id of classSessions) {
      await eventually(
        `the class's delay to reach ${id}`,
        async () => {
          const figures = await gatewayPing(id);
          if ((figures.avgMs ?? 0) < 180) throw new Error(`avg ${figures.avgMs} ms`);
          return true;
        },
        { timeoutMs: 30_000 },
      );
      const view = (await learners[classSessions.indexOf(id)]!.api.session.get({ sessionId: id })).links;
      expect(view).toEqual([
        {
          container: "busybox1",
          iface: "eth0",
          spec: { delayMs: 200, jitterMs: 0, lossPct: 5, rateKbit: null },
          source: "class",
        },
      ]);
      // The learner cannot lift the instructor's setting from the host terminal.
      const lift = await link(id, "clear", "busybox1", "eth0");
      expect(lift).toEqual({
        status: 400,
        text: "link: busybox1's eth0 carries your class's impairment (set by your instructor): it cannot be changed here\n",
      });
    }
    // The session outside the class is untouched.
    expect(await helpers(sessionId)).toEqual([]);
    expect((await ping(sessionId, "busybox1", peer)).avgMs).toBeLessThan(50);

    await instructor.api.links.clearForClass({ classId: klass.classId });
    for (const id of classSessions) {
      await eventually(
        `the class's delay to leave ${id}`,
        async () => {
          if ((await helpers(id)).length) throw new Error("a helper is left");
          return true;
        },
        { timeoutMs: 20_000 },
      );
      expect((await gatewayPing(id)).avgMs).toBeLessThan(50);
    }
  }, 120_000);
});
