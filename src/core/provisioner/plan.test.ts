import { describe, expect, it } from "vitest";
import { planContainer, planSession } from "./plan";
import type { SessionSpec } from "~/core/provisioner/port";

const limits = { maxContainers: 4, maxNetworks: 2 };
const spec = (over: Partial<SessionSpec>): SessionSpec => ({
  sessionId: "s",
  networks: [],
  containers: [],
  labDns: false,
  ...over,
});
const c = (name: string, network = "bridge", dns?: string[]) => ({
  name,
  image: "busybox:latest" as const,
  network,
  ...(dns ? { dns } : {}),
});

describe("planSession", () => {
  it("always has the default bridge and the session host, and maps every network mode", () => {
    const plan = planSession(
      spec({
        networks: [{ name: "mynet", driver: "bridge" }],
        containers: [c("b1"), c("b2", "none"), c("b3", "host"), c("b4", "container:b1")],
        labDns: true,
      }),
      limits,
    );
    expect(plan.networks).toEqual([
      { name: "bridge", driver: "bridge" },
      { name: "mynet", driver: "bridge" },
    ]);
    expect(plan.containers.map((p) => [p.name, p.role, p.attach])).toEqual([
      ["host", "host", { kind: "network", network: "bridge" }],
      ["dns", "dns", { kind: "network", network: "bridge" }],
      ["b1", "learner", { kind: "network", network: "bridge" }],
      ["b2", "learner", { kind: "none" }],
      ["b3", "learner", { kind: "container", target: "host" }],
      ["b4", "learner", { kind: "container", target: "b1" }],
    ]);
  });

  it("keeps --dns for bridge and user-network containers", () => {
    const plan = planSession(spec({ containers: [c("b1", "bridge", ["10.0.0.53"])] }), limits);
    expect(plan.containers[1]).toMatchObject({ name: "b1", dns: ["10.0.0.53"] });
  });

  it.each([
    [spec({ containers: [c("b1", "mynet")] }), 'network "mynet" does not exist in this session; networks: bridge'],
    [spec({ containers: [c("b2", "container:b1"), c("b1")] }), "container:b1 must name a container started before it"],
    [spec({ containers: [c("b1", "container:b1")] }), "cannot share its own network namespace"],
    [spec({ containers: [c("b1"), c("b1")] }), 'container "b1" is defined twice'],
    [spec({ containers: [c("b1", "host", ["10.0.0.1"])] }), "--dns cannot be combined with --network host"],
    [spec({ containers: [c("b1", "none", ["10.0.0.1"])] }), "--dns has no effect with --network none"],
    [spec({ containers: [1, 2, 3, 4, 5].map((i) => c(`b${i}`)) }), "at most 4 containers; this lab asks for 5"],
    [
      spec({ networks: ["a", "b", "c"].map((name) => ({ name, driver: "bridge" as const })), containers: [c("b1")] }),
      "at most 2 networks",
    ],
    [
      spec({
        networks: [
          { name: "a", driver: "bridge" },
          { name: "a", driver: "overlay" },
        ],
        containers: [c("b1")],
      }),
      'network "a" is defined twice',
    ],
  ])("refuses a bad spec with a message saying what is wrong (%#)", (bad, message) => {
    expect(() => planSession(bad, limits)).toThrow(message);
  });
});

describe("planContainer (a learner's docker run)", () => {
  const session = { networks: ["bridge", "mynet"], containers: ["host", "busybox1"] };

  it("plans a container on a session network, none, or another's namespace", () => {
    expect(planContainer({ name: "b2", attach: { kind: "network", network: "mynet" }, dns: ["8.8.8.8"] }, session)).toEqual({
      name: "b2",
      role: "learner",
      attach: { kind: "network", network: "mynet" },
      dns: ["8.8.8.8"],
    });
    expect(planContainer({ name: "b2", attach: { kind: "container", target: "busybox1" } }, session).attach).toEqual({
      kind: "container",
      target: "busybox1",
    });
  });

  it.each([
    [{ name: "busybox1", attach: { kind: "none" as const } }, 'container "busybox1" is defined twice'],
    [
      { name: "b2", attach: { kind: "network" as const, network: "other" } },
      'network "other" does not exist in this session; networks: bridge, mynet',
    ],
    [
      { name: "b2", attach: { kind: "container" as const, target: "gone" } },
      "container:gone must name a container started before it",
    ],
    [
      { name: "b2", attach: { kind: "container" as const, target: "host" }, dns: ["8.8.8.8"] },
      "--dns cannot be combined with --network host",
    ],
    [
      { name: "b2", attach: { kind: "container" as const, target: "busybox1" }, dns: ["8.8.8.8"] },
      "--dns cannot be combined with --network container:busybox1",
    ],
  ])("refuses what the session cannot run, saying why (%#)", (request, message) => {
    expect(() => planContainer(request, session)).toThrow(message);
  });
});
