// The lab firewall the settings ask for: kept by the worker (LAB_FIREWALL=on) or by the operator.
import type { ProvisionerConfig } from "../../config";
import { createLabFirewall, noLabFirewall, type LabFirewall } from "./labFirewall";

export function labFirewallFromConfig(config: Pick<ProvisionerConfig, "LAB_FIREWALL" | "DOCKER_HOST">): LabFirewall {
  return config.LAB_FIREWALL === "on" ? createLabFirewall({ dockerHost: config.DOCKER_HOST }) : noLabFirewall;
}
