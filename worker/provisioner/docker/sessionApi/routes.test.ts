// The routing table: what is served, and the one line that refuses the rest.
import { describe, expect, it } from "vitest";
import { refusalMessage, route } from "./routes";

describe("route", () => {
  it.each([
    ["HEAD", "/_ping", { name: "ping" }],
    ["GET", "/v1.41/_ping", { name: "ping" }],
    ["POST", "/v1.41/containers/create", { name: "containerCreate" }],
    ["GET", "/v1.41/containers/json", { name: "containerList" }],
    ["GET", "/v1.41/containers/busybox1/json", { name: "containerInspect", ref: "busybox1" }],
    ["POST", "/v1.41/containers/abc/stop", { name: "containerAction", ref: "abc", action: "stop" }],
    ["POST", "/v1.41/containers/abc/wait", { name: "containerAction", ref: "abc", action: "wait" }],
    ["POST", "/v1.41/containers/abc/attach", { name: "containerAttach", ref: "abc" }],
    ["DELETE", "/v1.41/containers/abc", { name: "containerRemove", ref: "abc" }],
    ["POST", "/v1.41/exec/e1/start", { name: "execStart", ref: "e1" }],
    ["GET", "/v1.41/images/docker.io/library/busybox/json", { name: "imageInspect", ref: "docker.io/library/busybox" }],
    ["GET", "/v1.41/networks", { name: "networkList" }],
    ["POST", "/v1.41/networks/mynet/disconnect", { name: "networkConnect", ref: "mynet", action: "disconnect" }],
    ["GET", "/v1.41/containers/..%2F..%2Fetc/json", { name: "containerInspect", ref: "../../etc" }],
  ])("%s %s", (method, path, expected) => {
    expect(route(method, path)).toEqual(expected);
  });

  it.each([
    ["GET", "/v1.41/volumes", "`docker volume` is not supported here; supported: run, ps, exec"],
    ["POST", "/v1.41/swarm/init", "`docker swarm`"],
    ["GET", "/v1.41/services", "`docker service`"],
    ["POST", "/v1.41/build", "`docker build`"],
    ["GET", "/v1.41/system/df", "`docker system df`"],
    ["POST", "/v1.41/commit", "`docker commit`"],
    ["PUT", "/v1.41/containers/abc/archive", "`docker cp`"],
    ["POST", "/v1.41/containers/abc/pause", "`docker pause`"],
    ["POST", "/v1.41/containers/abc/update", "`docker update`"],
    ["GET", "/v1.41/containers/abc/top", "`docker top`"],
    ["DELETE", "/v1.41/images/busybox", "`docker rmi`"],
    ["GET", "/v1.41/events", "`docker events`"],
    ["GET", "/v1.41/plugins", "`docker plugin`"],
    ["POST", "/v1.41/containers/prune", "`docker container prune`"],
    ["GET", "/v1.41/containers/%E0%A4%A/json", "this call"],
  ])("refuses %s %s", (method, path, message) => {
    const r = route(method, path);
    expect("refused" in r).toBe(true);
    expect(refusalMessage(r as { refused: string })).toContain(message);
  });
});
