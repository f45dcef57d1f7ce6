// The overlay decision, with the two engine calls it makes stubbed (the real engine here is
// always in swarm mode, so the refusal cannot be seen in integration tests).
import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { ensureNetwork, OverlayUnavailableError } from "./networks";

function engineWithSwarm(state: string) {
  const notFound = Object.assign(new Error("no such network"), { statusCode: 404 });
  const created: unknown[] = [];
  const docker = {
    getNetwork: () => ({ inspect: () => Promise.reject(notFound) }),
    info: () => Promise.resolve({ Swarm: { LocalNodeState: state } }),
    listNetworks: () => Promise.resolve([]),
    createNetwork: (options: unknown) => {
      created.push(options);
      return Promise.reject(new Error("stop here"));
    },
  } as unknown as Docker;
  return { docker, created };
}

describe("overlay networks", () => {
  it("are refused with instructions when the engine is not in swarm mode, creating nothing", async () => {
    const { docker, created } = engineWithSwarm("inactive");
    const attempt = ensureNetwork(
      docker,
      "s1",
      { name: "ov", driver: "overlay" },
      { pools: { bridge: "10.0.0.0/8", user: "10.213.0.0/16" }, installationId: "i" },
    );
    await expect(attempt).rejects.toBeInstanceOf(OverlayUnavailableError);
    await expect(attempt).rejects.toThrow(/swarm mode; run `docker swarm init --advertise-addr 127.0.0.1`/);
    expect(created).toEqual([]);
  });

  it("are created attachable and internal when swarm is active", async () => {
    const { docker, created } = engineWithSwarm("active");
    await expect(
      ensureNetwork(
        docker,
        "s1",
        { name: "ov", driver: "overlay" },
        { pools: { bridge: "10.0.0.0/8", user: "10.213.0.0/16" }, installationId: "i" },
      ),
    ).rejects.toThrow("stop here");
    expect(created).toMatchObject([{ Driver: "overlay", Attachable: true, Internal: true }]);
  });
});
