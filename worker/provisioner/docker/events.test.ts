import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sessionOfEvent } from "./events";
import { containerName, LABEL_INSTALLATION, LABEL_SESSION, networkName } from "./names";

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
