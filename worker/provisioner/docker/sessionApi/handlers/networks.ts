// docker network ls, create, inspect, rm, connect and disconnect, on the session's networks.
import { DEFAULT_NETWORK } from "~/protocol/labNames";
import { LABEL_SESSION } from "../../names";
import { ApiError, badRequest, forbidden } from "../apiError";
import { sendJson, type Call } from "../context";
import { engineJson } from "../engineHttp";
import { encodeFilters, parseFilters } from "../filters";
import { parseConnect, parseNetworkCreate } from "../networkRequests";
import { learnerNetworkView } from "../networkViews";
import { resolveContainer, resolveNetwork, type ScopeNetwork } from "../scope";
import { passStatus } from "./containers";

type Json = Record<string, unknown>;

const BUILT_IN_NAMES = new Set([DEFAULT_NETWORK, "host", "none"]);

function matches(net: ScopeNetwork, filters: Record<string, string[]>): boolean {
  const test: Record<string, (v: string) => boolean> = {
    name: (v) => net.name.includes(v),
    id: (v) => net.id.startsWith(v),
    driver: (v) => net.driver === v,
    scope: (v) => net.scope === v,
    type: (v) => (v === "builtin") === BUILT_IN_NAMES.has(net.name),
  };
  return Object.entries(filters).every(([key, values]) => {
    const check = test[key];
    if (!check) throw badRequest(`invalid filter '${key}'; docker network ls accepts name, id, driver, scope and type`);
    return values.some(check);
  });
}

export async function networkList(call: Call): Promise<void> {
  const filters = parseFilters(call.url.searchParams.get("filters"));
  const label = encodeFilters({ label: [`${LABEL_SESSION}=${call.session.sessionId}`] });
  const rows = await engineJson<Json[]>(
    call.session.engineSocket,
    "GET",
    `${call.prefix}/networks?filters=${encodeURIComponent(label)}`,
  );
  const scope = await call.scope();
  const byId = new Map(rows.map((r) => [r.Id as string, r]));
  const views = scope.networks
    .filter((n) => (n.builtIn || byId.has(n.id)) && matches(n, filters))
    .map((n) => learnerNetworkView(scope, n, byId.get(n.id)));
  sendJson(call.res, 200, views);
}

export async function networkCreate(call: Call): Promise<void> {
  const net = parseNetworkCreate(call.body);
  const scope = await call.scope();
  if (scope.networks.some((n) => n.name === net.name)) throw new ApiError(409, `network with name ${net.name} already exists`);
  call.spendCreate();
  const { id } = await call.session.runtime.createNetwork(call.session.sessionId, net);
  sendJson(call.res, 201, { Id: id, Warning: "" });
}

export async function networkInspect(call: Call): Promise<void> {
  const scope = await call.scope();
  const net = resolveNetwork(scope, call.route.ref!);
  const engine = net.builtIn
    ? undefined
    : await engineJson<Json>(call.session.engineSocket, "GET", `${call.prefix}/networks/${net.id}`);
  sendJson(call.res, 200, learnerNetworkView(scope, net, engine));
}

export async function networkRemove(call: Call): Promise<void> {
  const scope = await call.scope();
  const net = resolveNetwork(scope, call.route.ref!);
  if (BUILT_IN_NAMES.has(net.name)) throw forbidden(`${net.name} is a pre-defined network and cannot be removed`);
  const engine = await engineJson<Json>(call.session.engineSocket, "GET", `${call.prefix}/networks/${net.id}`);
  const attached = Object.keys((engine.Containers ?? {}) as Json);
  const learners = scope.containers.filter((c) => attached.includes(c.id));
  if (learners.length) {
    throw forbidden(
      `error while removing network: network ${net.name} has active endpoints (${learners.map((c) => c.name).join(", ")})`,
    );
  }
  // The session host sits on every network of the session, like a real host: it leaves first.
  for (const p of scope.platform.filter((c) => attached.includes(c.id))) {
    await disconnectPlatform(call, net.id, p.id);
  }
  await passStatus(call, "DELETE", `${call.prefix}/networks/${net.id}`);
}

async function disconnectPlatform(call: Call, networkId: string, containerId: string): Promise<void> {
  await engineJson(call.session.engineSocket, "POST", `${call.prefix}/networks/${networkId}/disconnect`, {
    Container: containerId,
    Force: true,
  });
}

export async function networkConnect(call: Call): Promise<void> {
  const action = call.route.action as "connect" | "disconnect";
  const scope = await call.scope();
  const net = resolveNetwork(scope, call.route.ref!);
  const { container, force } = parseConnect(call.body, action);
  const c = resolveContainer(scope, container);
  if (net.builtIn) {
    throw forbidden(`container cannot be ${action}ed ${action === "connect" ? "to" : "from"} the ${net.name} network`);
  }
  const body =
    action === "connect"
      ? { Container: c.id, EndpointConfig: { Aliases: net.name === DEFAULT_NETWORK ? [] : [c.name] } }
      : { Container: c.id, Force: force };
  await passStatus(call, "POST", `${call.prefix}/networks/${net.id}/${action}`, body);
}
