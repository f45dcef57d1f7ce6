import { describe, expect, it } from "vitest";
import { addressIn, cidrWithin, parseCidr, pickFreeSubnet } from "./subnets";

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

  it("cuts a pool into subnets of any prefix length (the default bridges' /16s)", () => {
    const a = pickFreeSubnet("10.0.0.0/8", [], "s/bridge", 16)!;
    expect(a).toMatch(/^10\.\d+\.0\.0\/16$/);
    // A /24 in use inside a /16 takes that whole /16 out; a pool nested in the range too.
    expect(pickFreeSubnet("10.0.0.0/15", ["10.0.7.0/24"], "x", 16)).toBe("10.1.0.0/16");
    expect(pickFreeSubnet("10.0.0.0/15", ["10.1.0.0/16", "10.0.0.0/24"], "x", 16)).toBeUndefined();
    expect(() => pickFreeSubnet("10.0.0.0/17", [], "x", 16)).toThrow(/smaller than one \/16/);
  });

  it("tells whether a subnet lies inside another", () => {
    expect(cidrWithin("10.213.4.0/26", "10.213.0.0/16")).toBe(true);
    expect(cidrWithin("10.214.0.0/24", "10.213.0.0/16")).toBe(false);
    expect(cidrWithin("10.0.0.0/8", "10.213.0.0/16")).toBe(false);
  });
});
