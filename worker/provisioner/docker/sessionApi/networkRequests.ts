// `docker network create` and `connect`/`disconnect` bodies: the allowed fields read, every other
// one must carry the CLI's default or the option that set it is refused.
import type { LearnerNetwork } from "../learnerObjects";
import { badRequest } from "./apiError";
import { echo, networkOptionNotSupported } from "./messages";
import { parseLearnerName } from "./validName";
import { isZero } from "./zero";

type Json = Record<string, unknown>;

const CREATE_OPTIONS: Record<string, string> = {
  EnableIPv6: "--ipv6",
  Ingress: "--ingress",
  ConfigOnly: "--config-only",
  ConfigFrom: "--config-from",
  Options: "-o/--opt",
  Labels: "--label",
  Scope: "--scope",
};

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** An IPv4 CIDR; which prefixes and ranges a session may take is the runtime's rule (checkLearnerSubnet). */
function parseSubnet(value: unknown): string {
  const m = typeof value === "string" ? CIDR.exec(value) : null;
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    throw badRequest(`--subnet ${echo(String(value))} is not accepted; give an IPv4 subnet, e.g. 10.5.0.0/24`);
  }
  return value as string;
}

export function parseNetworkCreate(body: unknown): LearnerNetwork {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest("the request body must be a JSON object");
  const b = body as Json;
  const name = parseLearnerName(typeof b.Name === "string" ? b.Name : "", "network");
  const driver = b.Driver === undefined || b.Driver === "" ? "bridge" : b.Driver;
  if (driver !== "bridge" && driver !== "overlay") {
    throw badRequest(networkOptionNotSupported(`--driver ${echo(String(driver))}`));
  }
  for (const [field, value] of Object.entries(b)) {
    if (["Name", "Driver", "CheckDuplicate", "IPAM", "Internal", "Attachable"].includes(field) || isZero(value)) continue;
    throw badRequest(networkOptionNotSupported(CREATE_OPTIONS[field] ?? `the option ${echo(field)}`));
  }
  const ipam = (b.IPAM ?? {}) as Json;
  if (ipam.Driver !== undefined && ipam.Driver !== "" && ipam.Driver !== "default") {
    throw badRequest(networkOptionNotSupported("--ipam-driver"));
  }
  if (!isZero(ipam.Options)) throw badRequest(networkOptionNotSupported("--ipam-opt"));
  const configs = (ipam.Config ?? []) as Json[];
  if (!Array.isArray(configs) || configs.length > 1) throw badRequest(networkOptionNotSupported("more than one --subnet"));
  let subnet: string | undefined;
  for (const config of configs) {
    for (const [field, value] of Object.entries(config)) {
      if (field === "Subnet") continue;
      if (!isZero(value)) {
        const option = { Gateway: "--gateway", IPRange: "--ip-range", AuxiliaryAddresses: "--aux-address" }[field];
        throw badRequest(networkOptionNotSupported(option ?? `the option ${echo(field)}`));
      }
    }
    if (!isZero(config.Subnet)) subnet = parseSubnet(config.Subnet);
  }
  return { name, driver, ...(subnet ? { subnet } : {}) };
}

/** The container a connect/disconnect names (the caller resolves it) and whether the learner asked to force. */
export function parseConnect(body: unknown, action: "connect" | "disconnect"): { container: string; force: boolean } {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest("the request body must be a JSON object");
  const b = body as Json;
  if (typeof b.Container !== "string" || b.Container === "") throw badRequest(`network ${action} needs a container`);
  for (const field of Object.keys(b)) {
    if (!["Container", "EndpointConfig", "Force"].includes(field))
      throw badRequest(`network ${action}: ${echo(field)} is not supported here`);
  }
  const endpoint = (b.EndpointConfig ?? {}) as Json;
  for (const [field, value] of Object.entries(endpoint)) {
    if (isZero(value)) continue;
    const option = { IPAMConfig: "--ip", Links: "--link", Aliases: "--alias", DriverOpts: "--driver-opt" }[field];
    throw badRequest(
      `network ${action}: ${option ?? echo(field)} is not supported here; docker network ${action} accepts NETWORK CONTAINER`,
    );
  }
  if (b.Force !== undefined && typeof b.Force !== "boolean") throw badRequest("Force must be true or false");
  return { container: b.Container, force: b.Force === true };
}
