// The routing table: which Docker API calls the session's endpoint serves (method + path, any
// /v1.NN prefix stripped), and the `docker <command>` named when it refuses the rest.
import { commandNotSupported } from "./messages";

export type RouteName =
  | "ping"
  | "version"
  | "info"
  | "containerCreate"
  | "containerList"
  | "containerInspect"
  | "containerLogs"
  | "containerAction"
  | "containerAttach"
  | "containerRemove"
  | "execCreate"
  | "execStart"
  | "execResize"
  | "execInspect"
  | "imageList"
  | "imageInspect"
  | "imagePull"
  | "networkList"
  | "networkCreate"
  | "networkInspect"
  | "networkRemove"
  | "networkConnect"
  | "link";

export type Route = { name: RouteName; ref?: string; action?: string };
export type Refusal = { refused: string };

const ID = "([^/]+)";
const TABLE: [method: string, pattern: RegExp, name: RouteName][] = [
  ["GET", /^\/_ping$/, "ping"],
  ["HEAD", /^\/_ping$/, "ping"],
  ["GET", /^\/version$/, "version"],
  ["GET", /^\/info$/, "info"],
  ["POST", /^\/containers\/create$/, "containerCreate"],
  ["GET", /^\/containers\/json$/, "containerList"],
  ["GET", new RegExp(`^/containers/${ID}/json$`), "containerInspect"],
  ["GET", new RegExp(`^/containers/${ID}/logs$`), "containerLogs"],
  ["POST", new RegExp(`^/containers/${ID}/(start|stop|restart|kill|wait|resize)$`), "containerAction"],
  ["POST", new RegExp(`^/containers/${ID}/attach$`), "containerAttach"],
  ["DELETE", new RegExp(`^/containers/${ID}$`), "containerRemove"],
  ["POST", new RegExp(`^/containers/${ID}/exec$`), "execCreate"],
  ["POST", new RegExp(`^/exec/${ID}/start$`), "execStart"],
  ["POST", new RegExp(`^/exec/${ID}/resize$`), "execResize"],
  ["GET", new RegExp(`^/exec/${ID}/json$`), "execInspect"],
  ["GET", /^\/images\/json$/, "imageList"],
  ["POST", /^\/images\/create$/, "imagePull"],
  ["GET", /^\/images\/(.+)\/json$/, "imageInspect"],
  ["GET", /^\/networks$/, "networkList"],
  ["POST", /^\/networks\/create$/, "networkCreate"],
  ["GET", new RegExp(`^/networks/${ID}$`), "networkInspect"],
  ["DELETE", new RegExp(`^/networks/${ID}$`), "networkRemove"],
  ["POST", new RegExp(`^/networks/${ID}/(connect|disconnect)$`), "networkConnect"],
  // Not Docker's: the host terminal's `link` command (images/labhost/link.c, handlers/link.ts).
  ["POST", /^\/wireroom\/link$/, "link"],
];

/** The `docker` command a refused call comes from, for the refusal's wording. */
const CONTAINER_OPS: Record<string, string> = {
  archive: "cp",
  export: "export",
  pause: "pause",
  unpause: "unpause",
  update: "update",
  rename: "rename",
  top: "top",
  stats: "stats",
  changes: "diff",
  commit: "commit",
};
const OBJECTS: Record<string, string> = {
  volumes: "volume",
  swarm: "swarm",
  services: "service",
  nodes: "node",
  tasks: "service ps",
  secrets: "secret",
  configs: "config",
  plugins: "plugin",
  build: "build",
  session: "build",
  system: "system df",
  commit: "commit",
  events: "events",
  auth: "login",
  distribution: "pull",
  grpc: "buildx",
};

function commandOf(method: string, path: string): string {
  const parts = path.split("/").filter(Boolean);
  const [first, second, third] = parts;
  if (first === "containers") {
    if (second === "prune") return "container prune";
    return (third && CONTAINER_OPS[third]) ?? `container ${third ?? method.toLowerCase()}`;
  }
  if (first === "images") {
    if (second === "prune") return "image prune";
    if (second === "load" || second === "get" || second === "search") return `image ${second === "get" ? "save" : second}`;
    if (method === "DELETE") return "rmi";
    if (third === "tag") return "tag";
    if (third === "push") return "push";
    if (third === "history") return "history";
    return "image";
  }
  if (first === "networks") return second === "prune" ? "network prune" : "network";
  if (first === "exec") return "exec";
  return (first && OBJECTS[first]) ?? (first ? first : "this call");
}

/** Strips a `/v1.NN` prefix. */
export function unversioned(path: string): string {
  return path.replace(/^\/v\d+(\.\d+)?(?=\/)/, "");
}

export function route(method: string, rawPath: string): Route | Refusal {
  const path = unversioned(rawPath);
  for (const [m, pattern, name] of TABLE) {
    if (m !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    let ref: string | undefined;
    try {
      ref = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    } catch {
      return { refused: "this call" };
    }
    return { name, ...(ref !== undefined ? { ref } : {}), ...(match[2] ? { action: match[2] } : {}) };
  }
  return { refused: commandOf(method, path) };
}

export function refusalMessage(refusal: Refusal): string {
  return commandNotSupported(refusal.refused);
}
