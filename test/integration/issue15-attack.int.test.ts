// Issue 15, red team: capture and link impairment attacked from a learner's session on the real
// engine. The platform's names and helpers stay out of the learner's reach (no container named like
// one, helpers neither listed nor touchable through the session's Docker API), the link command's
// arguments cannot smuggle options or paths, its bound holds for concurrent requests, an impairment
// is not lost silently when its container restarts, impairing the session host slows no other
// session, a stopped session leaves no helper behind, and the decoder survives malformed frames.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeFrame } from "~/core/capture/decode";
import { reloadCatalog } from "~/core/labs/catalog";
import { engineViewOf } from "~/core/sessions/engineView";
import { Status } from "~/protocol/sessionStatus";
import type { RunningWorker } from "../../worker/app";
import { loadProvisionerConfig } from "../../worker/config";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { connectCapture, type CaptureClient } from "../support/captureClient";
import { httpCall, link, type Endpoint } from "../support/sessionEndpoint";
import { db, engine, eventually, learner, testWorker, waitForStatus } from "../support/harness";

type Learner = Awaited<ReturnType<typeof learner>>;

/** Starts a session of a lab of the real curriculum (labs/), then reads the fixtures again. */
async function startRealLab(who: Learner, labSlug: string): Promise<string> {
  const fixtures = process.env.LABS_DIR;
  process.env.LABS_DIR = "labs";
  reloadCatalog();
  try {
    return (await who.api.session.start({ labSlug })).id;
  } finally {
    process.env.LABS_DIR = fixtures;
    reloadCatalog();
  }
}

const config = loadProvisionerConfig(process.env);
const docker = createDockerClient(config.DOCKER_HOST);

let worker: RunningWorker;
let alice: Learner;
let bob: Learner;
let sessionA: string;
let sessionB: string;
// Sessions whose link changes are unspent (10 a minute per session): the exhaustion and links.set tests.
let sessionC: string;
let sessionD: string;
let carol: Learner;
let peerA: string; // busybox2's address in A
let peerB: string; // busybox2's address in B
const open: CaptureClient[] = [];

/** One request on the session's own Docker endpoint (what the host terminal's docker and link talk to). */
async function call(
  sid: string,
  method: string,
  urlPath: string,
  body?: string | object,
): Promise<{ status: number; text: string }> {
  const endpoint = { sid, socket: path.join(config.LAB_FILES_DIR, sid, "run", "docker.sock") } as Endpoint;
  const answer = await httpCall(endpoint, method, urlPath, body);
  return { status: answer.status, text: answer.body };
}

/** The session's helper containers on the engine (captures and links). */
async function helpersOf(sid: string) {
  return (
    await docker.listContainers({ all: true, filters: { label: [`io.wireroom.session=${sid}`, "io.wireroom.kind=helper"] } })
  )
    .map((c) => ({
      id: c.Id,
      engineName: (c.Names[0] ?? "").replace(/^\//, ""),
      name: c.Labels["io.wireroom.name"] ?? "",
      state: c.State,
    }))
    .filter((h) => h.name.startsWith("link.") || h.name.startsWith("capture."));
}

async function addressOf(sid: string, container: string): Promise<string> {
  const { output } = await engine.run(sid, container, ["sh", "-c", "ip -o -4 addr show dev eth0"]);
  return /inet (\d+\.\d+\.\d+\.\d+)\//.exec(output)![1]!;
}

async function pingAvg(sid: string, from: string, to: string): Promise<number | undefined> {
  const { output } = await engine.run(sid, from, ["ping", "-W", "2", "-c", "3", "-i", "0.3", to], { timeoutMs: 20_000 });
  const avg = /min\/avg\/max = [\d.]+\/([\d.]+)\//.exec(output);
  return avg ? Number(avg[1]) : undefined;
}

async function captureAs(who: Learner, sid: string): Promise<CaptureClient> {
  const { token } = await who.api.capture.token({ sessionId: sid });
  const client = await connectCapture(worker.port, { token, sessionId: sid });
  open.push(client);
  return client;
}

beforeAll(async () => {
  // The reconcile timer every 10 s, as links.int.test.ts runs it: a lost impairment has a pass to come back in.
  // Two capture slots on the worker (50 by default): enough for this file's live captures, one at a time.
  worker = await testWorker({ RECONCILE_INTERVAL_SECONDS: "10", CAPTURE_MAX_PER_WORKER: "2" });
  [alice, bob, carol] = await Promise.all([learner(), learner(), learner()]);
  [sessionA, sessionB, sessionC, sessionD] = await Promise.all([
    alice.api.session.start({ labSlug: "two-bridges" }).then((s) => s.id),
    bob.api.session.start({ labSlug: "two-bridges" }).then((s) => s.id),
    carol.api.session.start({ labSlug: "two-bridges" }).then((s) => s.id),
    carol.api.session.start({ labSlug: "two-bridges" }).then((s) => s.id),
  ]);
  await Promise.all([sessionA, sessionB, sessionC, sessionD].map((id) => waitForStatus(id, [Status.ready], 90_000)));
  [peerA, peerB] = await Promise.all([addressOf(sessionA, "busybox2"), addressOf(sessionB, "busybox2")]);
}, 120_000);

afterAll(async () => {
  for (const c of open) c.close();
  await worker?.stop();
  await Promise.all(
    [sessionA, sessionB, sessionC, sessionD].filter(Boolean).map((id) => engine.teardown(id).catch(() => undefined)),
  );
});

describe("names and arguments", () => {
  it("a learner cannot make a container named like the platform's (host, dns, a helper) or an option", async () => {
    for (const name of ["host", "dns", "link.0123456789ab", "capture.abc", "--help", "-x", "..", "link.clear"]) {
      const made = await call(sessionA, "POST", `/containers/create?name=${encodeURIComponent(name)}`, {
        Image: "busybox",
        Cmd: ["sleep", "100"],
      });
      expect(made.status, `create ${name}: ${made.text}`).toBeGreaterThanOrEqual(400);
      expect(made.status).toBeLessThan(500);
    }
    // A learner's labels never make a container the platform's (a helper escapes capacity and listings).
    const labelled = await call(sessionA, "POST", "/containers/create?name=fakehelper", {
      Image: "busybox",
      Cmd: ["sleep", "100"],
      Labels: { "io.wireroom.kind": "helper", "io.wireroom.session": sessionB, "io.wireroom.name": "link.x" },
    });
    if (labelled.status < 300) {
      const found = await docker.listContainers({ all: true, filters: { label: ["io.wireroom.name=fakehelper"] } });
      expect(found).toHaveLength(1);
      expect(found[0]!.Labels["io.wireroom.kind"]).not.toBe("helper");
      expect(found[0]!.Labels["io.wireroom.session"]).toBe(sessionA);
      await call(sessionA, "DELETE", "/containers/fakehelper?force=1");
    }
  });

  it("the link command refuses option-like and path-like containers and interfaces in one line, starting no helper", async () => {
    const tries: string[][] = [
      ["set", "--help", "eth0", "delay", "10ms"],
      ["set", "-h", "eth0", "delay", "10ms"],
      ["set", "busybox1", "-o", "delay", "10ms"],
      ["set", "busybox1", "--queue-num", "delay", "10ms"],
      ["set", "busybox1", "../../sys", "delay", "10ms"],
      ["set", "busybox1", "..", "delay", "10ms"],
      ["set", "busybox1", "eth0;id", "delay", "10ms"],
      ["set", "busybox1", "$(id)", "delay", "10ms"],
      ["set", "busybox1", "docker0", "delay", "10ms"], // the machine's, not busybox1's
      ["set", "busybox1", "any", "delay", "10ms"],
      ["set", "busybox1", "eth0", "delay", "-5ms"],
      ["set", "busybox1", "eth0", "delay", "10ms", "delay", "--x"],
      ["set", "busybox1", "eth0", "loss", "1e2%"],
      ["set", "busybox1", "eth0", "rate", "0x10kbit"],
      ["clear", "busybox1", "eth0", "--all"],
      ["set", `${sessionB.slice(0, 8)}-busybox1`, "eth0", "delay", "10ms"],
      ["set", `wr-${sessionB}-busybox1`, "eth0", "delay", "10ms"],
    ];
    for (const args of tries) {
      const answer = await link(sessionA, ...args);
      expect(answer.status, `link ${args.join(" ")}: ${answer.text}`).toBe(400);
      expect(answer.text).toMatch(/^link: [^\n]+\n(usage: [\s\S]*)?$/);
    }
    expect(await helpersOf(sessionA)).toEqual([]);
    expect(await db().linkImpairment.count({ where: { sessionId: sessionA } })).toBe(0);
  });
});

describe("helpers are the platform's", () => {
  it("are neither listed nor inspectable, stoppable, removable or exec-able through the session's Docker API", async () => {
    const set = await link(sessionA, "set", "busybox1", "eth0", "rate", "100mbit");
    expect(set.status, set.text).toBe(200);
    const client = await captureAs(alice, sessionA);
    const started = await client.start("busybox2", "eth0");
    if (!started.ok) throw new Error(started.error.message);

    const helpers = await helpersOf(sessionA);
    expect(helpers.map((h) => h.name.split(".")[0]).sort()).toEqual(["capture", "link"]);

    const listed = await call(sessionA, "GET", "/containers/json?all=1");
    expect(listed.status).toBe(200);
    for (const h of helpers) {
      expect(listed.text).not.toContain(h.id.slice(0, 12));
      expect(listed.text).not.toContain(h.name);
    }
    for (const h of helpers) {
      for (const ref of [h.name, h.id, h.id.slice(0, 12), h.engineName]) {
        const r = encodeURIComponent(ref);
        const attempts = [
          await call(sessionA, "GET", `/containers/${r}/json`),
          await call(sessionA, "POST", `/containers/${r}/exec`, { Cmd: ["iptables", "-t", "mangle", "-F"], AttachStdout: true }),
          await call(sessionA, "POST", `/containers/${r}/stop?t=0`),
          await call(sessionA, "POST", `/containers/${r}/kill`),
          await call(sessionA, "DELETE", `/containers/${r}?force=1`),
        ];
        for (const a of attempts) expect(a.status, `${ref}: ${a.text}`).toBe(404);
      }
    }
    expect((await helpersOf(sessionA)).map((h) => h.state)).toEqual(["running", "running"]);

    expect(await client.stop(started.captureId)).toMatchObject({ ok: true });
    expect((await link(sessionA, "clear", "busybox1", "eth0")).status).toBe(200);
    await eventually("the helpers gone", async () => (await helpersOf(sessionA)).length === 0);
  }, 60_000);
});

describe("capture slots", () => {
  it("one learner's live captures filling the worker's slots do not stop another's capture checks from capturing", async () => {
    const client = await captureAs(alice, sessionA);
    const mine = [await client.start("busybox1", "eth0"), await client.start("busybox2", "eth0")];
    for (const m of mine) if (!m.ok) throw new Error(m.error.message);
    const carol = await learner();
    const sessionC = await startRealLab(carol, "slow-link");
    const run = async (name: string) => {
      const made = await call(sessionC, "POST", `/containers/create?name=${name}`, { Image: "busybox", Cmd: ["sleep", "1000"] });
      expect(made.status, made.text).toBe(201);
      expect((await call(sessionC, "POST", `/containers/${name}/start`)).status).toBe(204);
    };
    const rolling = () =>
      eventually("carol's rolling capture helper", async () => (await helpersOf(sessionC)).length > 0, { timeoutMs: 15_000 })
        .then(() => true)
        .catch(() => false);
    try {
      await waitForStatus(sessionC, [Status.ready], 60_000);
      // slow-link's capture checks watch busybox2's eth0: once carol runs busybox2, its rolling capture must run.
      await run("busybox2");
      const whileFull = await rolling();
      // The premise: with alice's captures stopped (and a view change to react to), carol's rolling capture starts.
      for (const m of mine) if (m.ok) await client.stop(m.captureId);
      await run("busybox1");
      expect(await rolling(), "carol's rolling capture with free slots (the test's premise)").toBe(true);
      expect(whileFull, "carol's rolling capture while alice's live captures hold the worker's slots").toBe(true);
    } finally {
      for (const m of mine) if (m.ok) await client.stop(m.captureId).catch(() => undefined);
      await engine.teardown(sessionC).catch(() => undefined);
    }
  }, 90_000);
});

describe("impairing", () => {
  it("the session host's interfaces, delayed, slow no other session", async () => {
    for (const iface of ["eth0", "docker0"]) {
      const set = await link(sessionA, "set", "host", iface, "delay", "300ms");
      expect(set.status, set.text).toBe(200);
    }
    const other = await pingAvg(sessionB, "busybox1", peerB);
    expect(other).toBeDefined();
    expect(other!).toBeLessThan(100);
    for (const iface of ["eth0", "docker0"]) expect((await link(sessionA, "clear", "host", iface)).status).toBe(200);
  }, 60_000);

  it("an impairment is back after its container restarts (not silently lost with the old namespace)", async () => {
    const set = await link(sessionA, "set", "busybox1", "eth0", "delay", "200ms");
    expect(set.status, set.text).toBe(200);
    expect(await pingAvg(sessionA, "busybox1", peerA)).toBeGreaterThanOrEqual(180);

    const restarted = await call(sessionA, "POST", "/containers/busybox1/restart?t=0");
    expect(restarted.status, restarted.text).toBe(204);
    const peer = await addressOf(sessionA, "busybox2");
    // link show still says busybox1's eth0 is delayed: the ping must agree within a reconcile pass or two.
    expect((await link(sessionA, "show")).text).toMatch(/busybox1\s+eth0\s+delay 200ms/);
    await eventually(
      "busybox1's delay re-applied in its new namespace",
      async () => ((await pingAvg(sessionA, "busybox1", peer)) ?? 0) >= 180,
      { timeoutMs: 30_000 },
    );
    expect((await helpersOf(sessionA)).filter((h) => h.name.startsWith("link."))).toHaveLength(1);
    expect((await link(sessionA, "clear", "busybox1", "eth0")).status).toBe(200);
  }, 75_000);
});

describe("bounds and ends", () => {
  it("the link command's bound (10 changes, then 10 a minute) holds for concurrent requests", async () => {
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => link(sessionB, "set", "busybox2", "eth0", "rate", `${1000 + i}kbit`)),
    );
    const accepted = answers.filter((a) => a.status === 200).length;
    console.log(`16 concurrent link sets: ${accepted} accepted, ${answers.filter((a) => a.status === 429).length} refused (429)`);
    expect(accepted).toBeLessThanOrEqual(10);
    await eventually("one link helper for busybox2's eth0", async () => (await helpersOf(sessionB)).length === 1);
  }, 60_000);

  it("a stopped session leaves no link or capture helper behind", async () => {
    const client = await captureAs(bob, sessionB);
    const started = await client.start("busybox1", "eth0");
    if (!started.ok) throw new Error(started.error.message);
    expect((await helpersOf(sessionB)).length).toBeGreaterThanOrEqual(2);
    await bob.api.session.stop({ sessionId: sessionB });
    await waitForStatus(sessionB, [Status.stopped], 60_000);
    await eventually("the session's helpers removed", async () => (await helpersOf(sessionB)).length === 0, {
      timeoutMs: 20_000,
    });
    expect(await bob.api.links.list({ sessionId: sessionB })).toEqual([]);
  }, 90_000);
});

describe("a removed container", () => {
  it("takes its helper with it, and link show agrees with the wire once a container of that name is back", async () => {
    const set = await link(sessionA, "set", "busybox2", "eth0", "delay", "200ms");
    expect(set.status, set.text).toBe(200);
    expect((await helpersOf(sessionA)).filter((h) => h.name.startsWith("link."))).toHaveLength(1);

    expect((await call(sessionA, "DELETE", "/containers/busybox2?force=1")).status).toBe(204);
    await eventually("busybox2's link helper removed", async () => (await helpersOf(sessionA)).length === 0, {
      timeoutMs: 25_000,
    });

    const made = await call(sessionA, "POST", "/containers/create?name=busybox2", { Image: "busybox", Cmd: ["sleep", "1000"] });
    expect(made.status, made.text).toBe(201);
    expect((await call(sessionA, "POST", "/containers/busybox2/start")).status).toBe(204);
    const peer = await addressOf(sessionA, "busybox2");
    // Whatever the choice (forgotten with the container, or kept for the name), it is never silent.
    await eventually(
      "link show and the ping agree on busybox2's eth0",
      async () => {
        const listed = /busybox2\s+eth0\s+delay 200ms/.test((await link(sessionA, "show")).text);
        const avg = (await pingAvg(sessionA, "busybox1", peer)) ?? 0;
        return listed ? avg >= 180 : avg < 50;
      },
      { timeoutMs: 25_000 },
    );
  }, 75_000);
});

describe("exhaustion", () => {
  it("impairments cannot hold more uncounted helper containers than the session may run containers", async () => {
    // Helpers do not count against the worker's capacity (capacity.ts); each link helper has the
    // learner's limits. The session may run MAX_CONTAINERS_PER_SESSION containers: its impairments
    // must not let it hold more containers than that on the engine, one per interface it can name.
    const maxContainers = config.MAX_CONTAINERS_PER_SESSION;
    // More interfaces to name: two networks of the learner's, each joined by busybox1 and busybox2.
    for (const net of ["xa", "xb"]) {
      expect((await call(sessionC, "POST", "/networks/create", { Name: net })).status).toBe(201);
      for (const c of ["busybox1", "busybox2"])
        expect((await call(sessionC, "POST", `/networks/${net}/connect`, { Container: c })).status).toBe(200);
    }
    const placesNow = async () => {
      const row = await db().labSession.findUniqueOrThrow({ where: { id: sessionC } });
      return (engineViewOf(row)?.topology?.namespaces ?? []).flatMap((ns) =>
        ns.interfaces.map((i) => ({ container: ns.owner, iface: i.name })),
      );
    };
    const places = await eventually("the view shows the new legs", async () => {
      const p = await placesNow();
      return p.length > maxContainers ? p : undefined;
    });
    console.log(`session C's interfaces: ${places.map((p) => `${p.container}/${p.iface}`).join(" ")}`);
    let accepted = 0;
    for (const place of places) {
      const done = await carol.api.links
        .set({ sessionId: sessionC, ...place, spec: { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: 1_000_000 } })
        .then(() => true)
        .catch(() => false);
      if (done) accepted += 1;
    }
    await eventually(
      "the session's link jobs settled",
      async () =>
        (await helpersOf(sessionC)).filter((h) => h.name.startsWith("link.")).length >= Math.min(accepted, maxContainers + 1),
      { timeoutMs: 40_000 },
    );
    const held = (await helpersOf(sessionC)).filter((h) => h.name.startsWith("link.")).length;
    console.log(
      `${accepted} of ${places.length} links.set accepted; ${held} link helpers on the engine (limit ${maxContainers})`,
    );
    expect(accepted).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(maxContainers);
  }, 60_000);
});

describe("links.set", () => {
  it("is bounded like the link command: of 16 concurrent changes from the page, at most 10 are accepted", async () => {
    const answers = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) =>
        carol.api.links.set({
          sessionId: sessionD,
          container: "busybox1",
          iface: "eth0",
          spec: { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: 2000 + i },
        }),
      ),
    );
    const accepted = answers.filter((a) => a.status === "fulfilled").length;
    console.log(`16 concurrent links.set: ${accepted} accepted`);
    expect(accepted).toBeLessThanOrEqual(10);
    // A fresh session: the bound, not an empty budget, is what refuses (some are accepted).
    expect(accepted).toBeGreaterThan(0);
  });
});

describe("the decoder", () => {
  const eth = (type: number) => Buffer.concat([Buffer.alloc(12, 0x02), Buffer.from([type >> 8, type & 0xff])]);
  function ipv4(proto: number, payload: Buffer, ihl = 5, totalLength?: number): Buffer {
    const h = Buffer.alloc(ihl * 4);
    h[0] = 0x40 | ihl;
    h.writeUInt16BE(totalLength ?? h.length + payload.length, 2);
    h[8] = 64;
    h[9] = proto;
    h.set([10, 0, 0, 2], 12);
    h.set([10, 0, 0, 3], 16);
    return Buffer.concat([eth(0x0800), h, payload]);
  }
  const udp = (port: number, payload: Buffer) => {
    const u = Buffer.alloc(8);
    u.writeUInt16BE(40000, 0);
    u.writeUInt16BE(port, 2);
    u.writeUInt16BE(8 + payload.length, 4);
    return Buffer.concat([u, payload]);
  };
  const tcp = (port: number, payload: Buffer, offset = 5) => {
    const t = Buffer.alloc(20);
    t.writeUInt16BE(40000, 0);
    t.writeUInt16BE(port, 2);
    t[12] = offset << 4;
    t[13] = 0x18;
    return Buffer.concat([t, payload]);
  };
  const dnsHeader = (qd: number, an: number) => {
    const h = Buffer.alloc(12);
    h.writeUInt16BE(0x1234, 0);
    h.writeUInt16BE(0x8180, 2);
    h.writeUInt16BE(qd, 4);
    h.writeUInt16BE(an, 6);
    return h;
  };

  it("survives malformed and hostile frames quickly, with bounded output", () => {
    const loop = Buffer.concat([dnsHeader(1, 0), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]); // a name pointing at itself
    const many = Buffer.concat([dnsHeader(65535, 65535), Buffer.alloc(1400, 0)]); // counts far beyond the bytes
    const labels = Buffer.concat([dnsHeader(1, 0), Buffer.alloc(1400, 0x3f)]); // labels running off the end
    const longHttp = Buffer.from(`GET /${"a".repeat(1400)} HTTP/1.1\r\n${"X: y\r\n".repeat(200)}\r\n`);
    const frames: [string, Buffer][] = [
      ["empty", Buffer.alloc(0)],
      ["13 bytes", Buffer.alloc(13)],
      ["ihl 15 on a short packet", ipv4(17, Buffer.alloc(4), 15)],
      ["ihl 0", ipv4(17, Buffer.alloc(20), 5).fill(0x40, 14, 15)],
      ["total length beyond the frame", ipv4(6, tcp(80, Buffer.from("GET / HTTP/1.1\r\n")), 5, 65535)],
      ["dns pointer loop", ipv4(17, udp(53, loop))],
      ["dns counts beyond the bytes", ipv4(17, udp(53, many))],
      ["dns labels off the end", ipv4(17, udp(53, labels))],
      ["dns over tcp, length lies", ipv4(6, tcp(53, Buffer.concat([Buffer.from([0xff, 0xff]), many])))],
      ["tcp data offset 0", ipv4(6, tcp(80, Buffer.from("GET / HTTP/1.1\r\n\r\n"), 0))],
      ["tcp data offset 15 on a short segment", ipv4(6, tcp(80, Buffer.alloc(4), 15))],
      ["http long line and many headers", ipv4(6, tcp(80, longHttp)).subarray(0, 1514)],
      ["udp length 0", ipv4(17, Buffer.alloc(8))],
      ["icmp truncated", ipv4(1, Buffer.from([8]))],
      ["arp truncated", Buffer.concat([eth(0x0806), Buffer.alloc(10)])],
      ["vlan truncated", Buffer.concat([eth(0x8100), Buffer.alloc(2)])],
      ["ipv6 truncated", Buffer.concat([eth(0x86dd), Buffer.alloc(10)])],
    ];
    for (const [what, frame] of frames) {
      const started = performance.now();
      let decoded;
      try {
        decoded = decodeFrame(new Uint8Array(frame), { no: 1, ts: 1, len: frame.length });
      } catch (error) {
        throw new Error(`${what}: decodeFrame threw ${(error as Error).message}`, { cause: error });
      }
      expect(performance.now() - started, what).toBeLessThan(200);
      expect(JSON.stringify(decoded).length, what).toBeLessThan(64 * 1024);
      expect(decoded.info.length, what).toBeLessThan(2048);
    }
  });
});
