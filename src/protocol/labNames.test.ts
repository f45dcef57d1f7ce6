import { describe, expect, it } from "vitest";
import {
  containerNameSchema,
  learnerNameSchema,
  networkModeSchema,
  parseNetworkMode,
  sessionTerminals,
  sharedContainer,
  sharingMode,
} from "./labNames";

describe("lab names", () => {
  it("accepts container names of 1-31 lowercase letters, digits and '-', starting with a letter", () => {
    expect(containerNameSchema.safeParse("busybox1").success).toBe(true);
    for (const bad of ["", "1box", "Box", "a".repeat(32), "../etc", "a b"]) {
      expect(containerNameSchema.safeParse(bad).error?.issues[0]?.message, bad).toMatch(/1-31 lowercase letters/);
    }
  });

  it("keeps the platform's own names from learners, saying which are reserved", () => {
    for (const reserved of ["host", "dns", "bridge", "none", "default"]) {
      expect(learnerNameSchema.safeParse(reserved).error?.issues[0]?.message, reserved).toBe(
        "names host, bridge, none, dns, default are reserved",
      );
    }
    expect(learnerNameSchema.safeParse("mynet").success).toBe(true);
  });

  it("reads every --network a learner may write", () => {
    expect(parseNetworkMode("none")).toEqual({ kind: "none" });
    expect(parseNetworkMode("host")).toEqual({ kind: "container", target: "host" });
    expect(parseNetworkMode("container:busybox1")).toEqual({ kind: "container", target: "busybox1" });
    expect(parseNetworkMode("bridge")).toEqual({ kind: "network", network: "bridge" });
    expect(parseNetworkMode("mynet")).toEqual({ kind: "network", network: "mynet" });
    expect(networkModeSchema.safeParse("container:").error?.issues[0]?.message).toMatch(/bridge, none, host, container:<name>/);
  });

  it("writes container:<name> in the learner's words (the session host is `host`)", () => {
    expect(sharedContainer("container:wireroom-s-b1")).toBe("wireroom-s-b1");
    expect(sharedContainer("bridge")).toBeUndefined();
    expect(sharingMode("host")).toBe("host");
    expect(sharingMode("busybox1")).toBe("container:busybox1");
  });

  it("lists a session's terminals: the session host first, then the lab's containers in order", () => {
    expect(sessionTerminals({ containers: [{ name: "b2" }, { name: "b1" }] })).toEqual(["host", "b2", "b1"]);
  });

  it("lists the engine's containers instead once the engine reported them (learner-made ones included, removed ones gone)", () => {
    const lab = { containers: [{ name: "b1" }, { name: "b2" }] };
    expect(sessionTerminals(lab, { containers: [{ name: "b2" }, { name: "mine" }] })).toEqual(["host", "b2", "mine"]);
    expect(sessionTerminals(lab, { containers: [] })).toEqual(["host"]);
    expect(sessionTerminals(lab, {})).toEqual(["host", "b1", "b2"]); // a view from before containers were viewed
    expect(sessionTerminals(lab, null)).toEqual(["host", "b1", "b2"]);
    expect(sessionTerminals(null)).toEqual(["host"]);
  });
});
