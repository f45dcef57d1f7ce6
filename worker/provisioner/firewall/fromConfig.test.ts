import { describe, expect, it } from "vitest";
import { loadProvisionerConfig } from "../../config";
import { labFirewallFromConfig } from "./fromConfig";
import { noLabFirewall } from "./labFirewall";

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("LAB_FIREWALL", () => {
  it("is on by default, off on request, and anything else stops the process with its name", () => {
    expect(loadProvisionerConfig(env({})).LAB_FIREWALL).toBe("on");
    expect(labFirewallFromConfig(loadProvisionerConfig(env({ LAB_FIREWALL: "off" })))).toBe(noLabFirewall);
    expect(labFirewallFromConfig(loadProvisionerConfig(env({})))).not.toBe(noLabFirewall);
    expect(() => loadProvisionerConfig(env({ LAB_FIREWALL: "maybe" }))).toThrow(/LAB_FIREWALL must be on or off/);
  });
});
