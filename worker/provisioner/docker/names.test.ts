// Engine names and labels across the rename: objects are made under io.wireroom.* and wireroom-,
// and for one release those of netlab (io.netlab.*, netlab-) are still found.
import { describe, expect, it } from "vitest";
import {
  assertOwned,
  containerName,
  containerNames,
  installationFilters,
  labelOf,
  learnerNetworkName,
  networkName,
  sessionFilters,
  sessionLabels,
} from "./names";

const SESSION = "5f0c3f0e-8a4c-4d5e-9b0a-0123456789ab";
const INSTALLATION = "00000000-0000-4000-8000-00000000feed";

describe("labelOf", () => {
  it("reads each key under the current prefix", () => {
    const labels = sessionLabels(SESSION, "busybox1", INSTALLATION);
    expect(labels).toEqual({
      "io.wireroom.managed": "true",
      "io.wireroom.installation": INSTALLATION,
      "io.wireroom.session": SESSION,
      "io.wireroom.name": "busybox1",
    });
    expect(labelOf(labels, "session")).toBe(SESSION);
    expect(labelOf(labels, "name")).toBe("busybox1");
    expect(labelOf(labels, "installation")).toBe(INSTALLATION);
    expect(labelOf(labels, "managed")).toBe("true");
  });

  it("reads each key under the legacy io.netlab prefix", () => {
    const legacy = {
      "io.netlab.managed": "true",
      "io.netlab.installation": INSTALLATION,
      "io.netlab.session": SESSION,
      "io.netlab.name": "web",
      "io.netlab.kind": "learner",
    };
    expect(labelOf(legacy, "session")).toBe(SESSION);
    expect(labelOf(legacy, "name")).toBe("web");
    expect(labelOf(legacy, "kind")).toBe("learner");
    expect(labelOf(legacy, "installation")).toBe(INSTALLATION);
    expect(labelOf(legacy, "managed")).toBe("true");
  });

  it("prefers the current label when an object carries both", () => {
    expect(labelOf({ "io.netlab.session": "old", "io.wireroom.session": "new" }, "session")).toBe("new");
  });

  it("finds nothing under other prefixes, and nothing without labels", () => {
    expect(labelOf({ "io.other.session": SESSION, session: SESSION }, "session")).toBeUndefined();
    expect(labelOf(undefined, "session")).toBeUndefined();
    expect(labelOf({}, "name")).toBeUndefined();
  });
});

describe("container names", () => {
  it("makes the current name, and looks for the current one first, then the legacy one", () => {
    expect(containerName(SESSION, "busybox1")).toBe(`wireroom-${SESSION}-busybox1`);
    expect(containerNames(SESSION, "busybox1")).toEqual([`wireroom-${SESSION}-busybox1`, `netlab-${SESSION}-busybox1`]);
  });
});

describe("learnerNetworkName", () => {
  it("gives the learner's name of a session network under either prefix", () => {
    expect(networkName(SESSION, "mynet")).toBe(`wireroom-${SESSION}-net-mynet`);
    expect(learnerNetworkName(SESSION, `wireroom-${SESSION}-net-mynet`)).toBe("mynet");
    expect(learnerNetworkName(SESSION, `netlab-${SESSION}-net-bridge`)).toBe("bridge");
  });

  it("gives nothing for another session's network, an engine network or a container name", () => {
    const other = "aaaaaaaa-8a4c-4d5e-9b0a-0123456789ab";
    expect(learnerNetworkName(SESSION, `wireroom-${other}-net-mynet`)).toBeUndefined();
    expect(learnerNetworkName(SESSION, `netlab-${other}-net-mynet`)).toBeUndefined();
    expect(learnerNetworkName(SESSION, "bridge")).toBeUndefined();
    expect(learnerNetworkName(SESSION, `wireroom-${SESSION}-busybox1`)).toBeUndefined();
  });
});

describe("engine filters", () => {
  // The engine ANDs the labels of one filter: each generation needs a filter of its own.
  it("lists a session's objects with one filter per generation", () => {
    expect(sessionFilters(SESSION)).toEqual([
      { label: [`io.wireroom.session=${SESSION}`] },
      { label: [`io.netlab.session=${SESSION}`] },
    ]);
  });

  it("lists an installation's managed objects with one filter per generation", () => {
    expect(installationFilters(INSTALLATION)).toEqual([
      { label: ["io.wireroom.managed=true", `io.wireroom.installation=${INSTALLATION}`] },
      { label: ["io.netlab.managed=true", `io.netlab.installation=${INSTALLATION}`] },
    ]);
  });
});

describe("assertOwned", () => {
  it("adopts an object labelled with the session under either prefix, and refuses any other", () => {
    expect(() => assertOwned({ "io.wireroom.session": SESSION }, SESSION, "container web")).not.toThrow();
    expect(() => assertOwned({ "io.netlab.session": SESSION }, SESSION, "container web")).not.toThrow();
    expect(() => assertOwned({ "io.netlab.session": "someone-else" }, SESSION, "container web")).toThrow(
      `container web exists but does not belong to session ${SESSION}; refusing to adopt it`,
    );
    expect(() => assertOwned(undefined, SESSION, "network bridge")).toThrow(/does not belong to session/);
  });
});
