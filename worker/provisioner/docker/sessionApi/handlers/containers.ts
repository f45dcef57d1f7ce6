// docker run (create), ps, inspect, logs, start/stop/restart/kill/wait/resize and rm, each on a
// learner container resolved in the session.
import { DEFAULT_NETWORK, HOST_NETWORK, type NetworkMode } from "~/protocol/labNames";
import { LABEL_KIND, LABEL_SESSION, LEARNER_KIND } from "../../names";
import { ApiError, badRequest } from "../apiError";
import { learnerContainerInspect, learnerContainerSummary as containerSummary } from "../containerViews";
import { queryOf, sendEmpty, sendJson, type Call } from "../context";
import { engineCall, engineJson, engineStream, EngineError } from "../engineHttp";
import { encodeFilters, parseFilters, withLabels } from "../filters";
import { generatedName } from "../generatedName";
import { parseRunRequest } from "../runRequest";
import { resolveContainer, resolveNetwork, type SessionScope } from "../scope";

type Json = Record<string, unknown>;

/** The network mode with its names resolved in the session (ids and prefixes become names). */
function resolvedAttach(scope: SessionScope, attach: NetworkMode, typed: unknown): NetworkMode {
  if (attach.kind === "none") return attach;
  if (attach.kind === "container") {
    if (typed === HOST_NETWORK) return attach; // the session host's namespace
    return { kind: "container", target: resolveContainer(scope, attach.target).name };
  }
  if (attach.network === DEFAULT_NETWORK) return attach;
  const net = resolveNetwork(scope, attach.network);
  if (net.builtIn) throw badRequest(`--network ${net.name} cannot be used this way`);
  return { kind: "network", network: net.name };
}

export async function containerCreate(call: Call): Promise<void> {
  const { named, ...run } = parseRunRequest(call.body, call.url.searchParams);
  const scope = await call.scope();
  const typedMode = ((call.body as Json).HostConfig as Json | undefined)?.NetworkMode;
  let attach: NetworkMode;
  try {
    attach = resolvedAttach(scope, run.attach, typedMode);
  } catch (error) {
    // A 404 on create makes the CLI pull the image: a missing network or container is a 400 here.
    if (error instanceof ApiError && error.status === 404) throw badRequest(error.message);
    throw error;
  }
  const name = named ? run.name : generatedName(new Set(scope.containers.map((c) => c.name)));
  call.spendCreate();
  const { id } = await call.session.runtime.createContainer(call.session.sessionId, { ...run, name, attach });
  sendJson(call.res, 201, { Id: id, Warnings: [] });
}

export async function containerList(call: Call): Promise<void> {
  const { url, session } = call;
  const filters = parseFilters(url.searchParams.get("filters"));
  const before = await call.scope();
  for (const key of ["before", "since"]) {
    if (filters[key]) filters[key] = filters[key].map((ref) => resolveContainer(before, ref).id);
  }
  if (filters.network) filters.network = filters.network.map((ref) => resolveNetwork(before, ref).engineName);
  const merged = withLabels(filters, [`${LABEL_SESSION}=${session.sessionId}`, `${LABEL_KIND}=${LEARNER_KIND}`]);
  const query = new URLSearchParams(queryOf(url, ["all", "limit", "size"]).slice(1));
  query.set("filters", encodeFilters(merged));
  const rows = await engineJson<Json[]>(session.engineSocket, "GET", `${call.prefix}/containers/json?${query}`);
  const scope = await call.scope();
  const byId = new Map(scope.containers.map((c) => [c.id, c]));
  sendJson(
    call.res,
    200,
    rows.flatMap((row) => {
      const c = byId.get(row.Id as string);
      return c ? [containerSummary(scope, row, c.name)] : [];
    }),
  );
}

export async function containerInspect(call: Call): Promise<void> {
  const scope = await call.scope();
  const c = resolveContainer(scope, call.route.ref!);
  const info = await engineJson<Json>(call.session.engineSocket, "GET", `${call.prefix}/containers/${c.id}/json`);
  sendJson(call.res, 200, learnerContainerInspect(scope, info, c.name));
}

export async function containerLogs(call: Call): Promise<void> {
  const c = resolveContainer(await call.scope(), call.route.ref!);
  const query = queryOf(call.url, ["follow", "stdout", "stderr", "since", "until", "timestamps", "tail", "details"]);
  await engineStream(call.session.engineSocket, "GET", `${call.prefix}/containers/${c.id}/logs${query}`, call.res);
}

const ACTION_QUERY: Record<string, string[]> = {
  start: [],
  stop: ["t"],
  restart: ["t"],
  kill: ["signal"],
  wait: ["condition"],
  resize: ["h", "w"],
};

export async function containerAction(call: Call): Promise<void> {
  const action = call.route.action!;
  const c = resolveContainer(await call.scope(), call.route.ref!);
  const path = `${call.prefix}/containers/${c.id}/${action}${queryOf(call.url, ACTION_QUERY[action] ?? [])}`;
  if (action === "wait") {
    await engineStream(call.session.engineSocket, "POST", path, call.res);
    return;
  }
  await passStatus(call, "POST", path);
}

export async function containerRemove(call: Call): Promise<void> {
  const c = resolveContainer(await call.scope(), call.route.ref!);
  await passStatus(call, "DELETE", `${call.prefix}/containers/${c.id}${queryOf(call.url, ["force", "v"])}`);
}

/** Forwards a call whose answer carries no object (204, 304): the status is passed on. */
export async function passStatus(call: Call, method: string, path: string, body?: unknown): Promise<void> {
  const answer = await engineCall(call.session.engineSocket, method, path, body);
  if (answer.status >= 400) throw EngineError.from(answer);
  sendEmpty(call.res, answer.status);
}
