// Check evaluation for every kind of check, against the fake provisioner: passes, failures with
// the lab's message, and engine errors, which are "could not run" for every kind alike.
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { checkSchema, type Check } from "~/core/labs/schema";
import { createFakeProvisioner } from "~/core/provisioner/fake";
import { CheckCouldNotRunError } from "./couldNotRun";
import { evaluate } from "./runChecks";

const params = { token: "0badc0de" };
const base = { description: "it holds for {{token}}", points: 1, failure: "it does not hold" };

const checks = {
  output: checkSchema.parse({ ...base, id: "o", kind: "output", container: "box1", run: "cat /tmp/t", matches: "{{token}}" }),
  compare: checkSchema.parse({
    ...base,
    id: "c",
    kind: "compare",
    op: "equal",
    left: { container: "box1", run: "hostname -i", extract: "(\\d+\\.\\d+\\.\\d+\\.\\d+)" },
    right: { container: "box2", run: "hostname -i", extract: "(\\d+\\.\\d+\\.\\d+\\.\\d+)" },
  }),
  container: checkSchema.parse({ ...base, id: "k", kind: "container", name: "box2", networkMode: "container:box1" }),
  network: checkSchema.parse({ ...base, id: "n", kind: "network", name: "mynet", driver: "bridge" }),
  resolves: checkSchema.parse({ ...base, id: "r", kind: "resolves", container: "box1", name: "web", resolves: true }),
  capture: checkSchema.parse({
    ...base,
    id: "p",
    kind: "capture",
    on: { container: "box1", interface: "eth0" },
    expect: { icmp: "echo-request", from: "box1", to: "10.0.0.9" },
  }),
} satisfies Record<Check["kind"], Check>;

async function session(options: { box2Mode?: string; network?: boolean } = {}) {
  const sessionId = randomUUID();
  const provisioner = createFakeProvisioner();
  await provisioner.provision({
    sessionId,
    networks: options.network === false ? [] : [{ name: "mynet", driver: "bridge" }],
    containers: [
      { name: "box1", image: "busybox:latest", network: "bridge" },
      { name: "box2", image: "busybox:latest", network: options.box2Mode ?? "container:box1" },
    ],
    labDns: false,
  });
  const say = (container: string, output: string) => provisioner.script(sessionId, container, () => ({ exitCode: 0, output }));
  return { sessionId, provisioner, say, evaluate: (check: Check) => evaluate(provisioner, sessionId, check, params) };
}

describe("check evaluation", () => {
  it("output: passes when the probe's output matches, fails with the lab's message otherwise", async () => {
    const s = await session();
    s.say("box1", "token 0badc0de\n");
    expect(await s.evaluate(checks.output)).toEqual({ passed: true, message: "it holds for 0badc0de" });
    s.say("box1", "nothing here\n");
    expect(await s.evaluate(checks.output)).toEqual({ passed: false, message: "it does not hold" });
  });

  it("compare: passes when both values are equal, fails when they differ or one is missing", async () => {
    const s = await session();
    s.say("box1", "172.17.0.2\n");
    s.say("box2", "172.17.0.2\n");
    expect((await s.evaluate(checks.compare)).passed).toBe(true);
    s.say("box2", "172.17.0.3\n");
    expect(await s.evaluate(checks.compare)).toEqual({ passed: false, message: "it does not hold" });
    s.say("box2", "no address\n");
    expect((await s.evaluate(checks.compare)).passed).toBe(false);
  });

  it("container: passes for a running container in the mode asked, fails with what is wrong", async () => {
    expect((await (await session()).evaluate(checks.container)).passed).toBe(true);
    expect(await (await session({ box2Mode: "bridge" })).evaluate(checks.container)).toEqual({
      passed: false,
      message: "it does not hold (its network is bridge)",
    });
    const stopped = await session();
    stopped.provisioner.stopContainer(stopped.sessionId, "box2");
    expect(await stopped.evaluate(checks.container)).toEqual({
      passed: false,
      message: "it does not hold (no running container box2)",
    });
  });

  it("network: passes when the session has the network with its driver, fails when it has not", async () => {
    expect((await (await session()).evaluate(checks.network)).passed).toBe(true);
    expect(await (await session({ network: false })).evaluate(checks.network)).toEqual({
      passed: false,
      message: "it does not hold (no network mynet)",
    });
  });

  it("resolves: passes when nslookup answers an address (or, with resolves: false, when it does not)", async () => {
    const s = await session();
    const answer = "Server:\t\t10.1.0.1\nAddress:\t10.1.0.1:53\n\nNon-authoritative answer:\nName:\tweb\nAddress: 10.2.0.3\n";
    const nxdomain = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find web: NXDOMAIN\n";
    let commands: string[] = [];
    s.provisioner.script(s.sessionId, "box1", (command) => {
      commands = command;
      return { exitCode: 0, output: answer };
    });
    expect(await s.evaluate(checks.resolves)).toEqual({ passed: true, message: "it holds for 0badc0de" });
    expect(commands.join(" ")).toContain("nslookup -type=a -timeout=2 -retry=1 web");
    const not = checkSchema.parse({ ...checks.resolves, resolves: false });
    expect(await s.evaluate(not)).toEqual({ passed: false, message: "it does not hold (web resolves in box1)" });
    s.say("box1", nxdomain);
    expect(await s.evaluate(not)).toEqual({ passed: true, message: "it holds for 0badc0de" });
    expect(await s.evaluate(checks.resolves)).toEqual({
      passed: false,
      message: "it does not hold (web does not resolve in box1)",
    });
  });

  it("refuses a name to resolve that is not a plain DNS name (it is put in a shell command)", () => {
    for (const name of ["web; reboot", "$(id)", "WEB", "-web", "a b"]) {
      expect(checkSchema.safeParse({ ...checks.resolves, name }).success, name).toBe(false);
    }
  });

  // A lab the learner builds: in a fresh session the containers its checks look at do not exist yet.
  it("capture: the packets given for its interface, between the addresses its names have now", async () => {
    const s = await session();
    let commands: string[] = [];
    s.provisioner.script(s.sessionId, "box1", (command) => {
      commands = command;
      return {
        exitCode: 0,
        output: "1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet 10.0.0.2/16 brd 10.0.255.255 scope global eth0\n",
      };
    });
    const ping = {
      ts: 1,
      protocol: "ICMP",
      ipv4: { src: "10.0.0.2", dst: "10.0.0.9" },
      icmp: { kind: "echo-request", id: 1, seq: 1 },
    };
    const check = (captures?: Record<string, (typeof ping)[]>) =>
      evaluate(s.provisioner, s.sessionId, checks.capture, params, { captures });
    expect(await check({ "box1/eth0": [ping] })).toEqual({ passed: true, message: "it holds for 0badc0de" });
    expect(commands.join(" ")).toContain("ip -o -4 addr show");
    expect(await check({ "box1/eth0": [{ ...ping, ipv4: { src: "10.0.0.3", dst: "10.0.0.9" } }] })).toMatchObject({
      passed: false,
      message: expect.stringMatching(
        /^it does not hold \(no ICMP echo request from box1 \(10\.0\.0\.2\) to 10\.0\.0\.9 on box1's eth0/,
      ),
    });
    expect((await check()).message).toMatch(/^it does not hold \(nothing is captured on box1's eth0:/);
    expect(
      (await evaluate(s.provisioner, s.sessionId, checks.capture, params, { batch: false, captures: { "box1/eth0": [ping] } }))
        .passed,
    ).toBe(true);
  });

  it.each(["output", "compare", "resolves", "capture"] as const)(
    "%s: a container that is not there (or not running) fails the check with its message, not 'could not run'",
    async (kind) => {
      const s = await session();
      s.say("box2", "x");
      s.provisioner.stopContainer(s.sessionId, "box1");
      expect(await s.evaluate(checks[kind])).toEqual({ passed: false, message: "it does not hold (no running container box1)" });
    },
  );

  it("the session host or lab DNS not running is 'could not run': the learner cannot make them again", async () => {
    const s = await session();
    const onHost = checkSchema.parse({ ...checks.output, container: "host" });
    s.provisioner.stopContainer(s.sessionId, "host");
    await expect(s.evaluate(onHost)).rejects.toBeInstanceOf(CheckCouldNotRunError);
  });

  it.each(Object.keys(checks) as Check["kind"][])(
    "%s: an engine error is 'could not run' with the engine's reason, never a failed check",
    async (kind) => {
      const s = await session();
      s.say("box1", "x");
      s.say("box2", "x");
      s.provisioner.setEngineDown(true);
      const outcome = s.evaluate(checks[kind]);
      await expect(outcome).rejects.toBeInstanceOf(CheckCouldNotRunError);
      await expect(outcome).rejects.toThrow(/lab host unavailable: cannot reach the container engine/);
    },
  );

  it("a probe that does not finish in time could not run: the reason says so", async () => {
    const s = await session();
    s.provisioner.script(s.sessionId, "box1", () => new Promise(() => {}));
    vi.useFakeTimers();
    try {
      const outcome = s.evaluate(checks.output);
      const settled = expect(outcome).rejects.toThrow(/^in box1: .*5000 ms/);
      await vi.advanceTimersByTimeAsync(5_000);
      await settled;
    } finally {
      vi.useRealTimers();
    }
  });
});
