import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { describe, expect, it, vi } from "vitest";
import { sessionOfEvent, watchEngineEvents } from "./events";
import { containerName, LABEL_INSTALLATION, LABEL_SESSION, networkName } from "./names";
import { captureLogs } from "../../../test/support/logLines";

describe("engine events", () => {
  const sessionId = randomUUID();

  it("names the session of this installation's container events, by their labels", () => {
    const labels = { [LABEL_INSTALLATION]: "inst-a", [LABEL_SESSION]: sessionId, name: containerName(sessionId, "b1") };
    expect(sessionOfEvent({ Type: "container", Action: "start", Actor: { Attributes: labels } }, "inst-a")).toBe(sessionId);
    expect(sessionOfEvent({ Type: "container", Action: "start", Actor: { Attributes: labels } }, "inst-b")).toBeUndefined();
    expect(
      sessionOfEvent({ Type: "container", Action: "start", Actor: { Attributes: { name: "other" } } }, "inst-a"),
    ).toBeUndefined();
  });

  it("names the session of a network event by the network's engine name (network events carry no labels)", () => {
    const event = {
      Type: "network",
      Action: "connect",
      Actor: { Attributes: { name: networkName(sessionId, "mynet"), type: "bridge" } },
    };
    expect(sessionOfEvent(event, "inst-a")).toBe(sessionId);
    expect(sessionOfEvent({ Type: "network", Actor: { Attributes: { name: "bridge" } } }, "inst-a")).toBeUndefined();
    expect(sessionOfEvent({ Type: "network", Actor: { Attributes: { name: `netlab-${sessionId}-net-old` } } }, "x")).toBe(
      sessionId,
    );
    expect(
      sessionOfEvent({ Type: "image", Actor: { Attributes: { name: networkName(sessionId, "n") } } }, "inst-a"),
    ).toBeUndefined();
  });
});

describe("the engine event watch", () => {
  it("hears this installation's sessions, re-establishes a stream the engine ended and says so each time", async () => {
    const sessionId = randomUUID();
    const streams: PassThrough[] = [];
    let refusals = 1; // the first attempt finds the engine down
    const docker = {
      getEvents: vi.fn(async () => {
        if (refusals-- > 0) throw Object.assign(new Error("connect ENOENT"), { code: "ENOENT" });
        const stream = new PassThrough();
        streams.push(stream);
        return stream;
      }),
    } as unknown as Docker;
    const changed: string[] = [];
    let resyncs = 0;
    captureLogs({ quiet: true }); // the reconnect is logged; not this test's subject
    const watch = watchEngineEvents(docker, "inst-a", { changed: (id) => changed.push(id), resynced: () => resyncs++ });
    try {
      await vi.waitFor(() => expect(resyncs).toBe(1), { timeout: 5_000 });
      const event = {
        Type: "container",
        Action: "start",
        Actor: { Attributes: { [LABEL_INSTALLATION]: "inst-a", [LABEL_SESSION]: sessionId } },
      };
      const line = JSON.stringify(event);
      streams[0]!.write(`${line.slice(0, 10)}`); // an event split across chunks
      streams[0]!.write(`${line.slice(10)}\nnot json\n`);
      await vi.waitFor(() => expect(changed).toEqual([sessionId]));
      streams[0]!.end(); // the engine restarted
      await vi.waitFor(() => expect(resyncs).toBe(2), { timeout: 5_000 });
      expect(streams).toHaveLength(2);
    } finally {
      await watch.stop();
    }
    expect(streams[1]!.destroyed).toBe(true);
  });
});
