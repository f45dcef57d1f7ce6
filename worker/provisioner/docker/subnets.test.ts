import { describe, expect, it } from "vitest";
import { addressIn, parseCidr, pickFreeSubnet } from "./subnets";

describe("subnet allocation", () => {
  it("picks a /24 inside the pool, deterministically for a seed", () => {
    const a = pickFreeSubnet("10.213.0.0/16", [], "session-1/bridge")!;
    expect(a).toMatch(/^10\.213\.\d+\.0\/24$/);
    expect(pickFreeSubnet("10.213.0.0/16", [], "session-1/bridge")).toBe(a);
  });

  it("skips subnets that overlap networks already on the engine", () => {
    const pool = "10.213.0.0/23"; // two /24s
    expect(pickFreeSubnet(pool, ["10.213.0.0/24"], "x")).toBe("10.213.1.0/24");
    expect(pickFreeSubnet(pool, ["10.213.1.0/24"], "x")).toBe("10.213.0.0/24");
    expect(pickFreeSubnet(pool, ["10.0.0.0/8"], "x")).toBeUndefined();
  });

  it("computes fixed addresses inside a subnet", () => {
    expect(addressIn("10.213.7.0/24", 254)).toBe("10.213.7.254");
  });

  it("refuses malformed pools", () => {
    expect(() => parseCidr("10.213.0.0")).toThrow(/not an IPv4 CIDR/);
    expect(() => pickFreeSubnet("10.213.0.0/25", [], "x")).toThrow(/smaller than one \/24/);
  });
});
