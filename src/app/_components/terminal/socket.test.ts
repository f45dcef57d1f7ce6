import { describe, expect, it } from "vitest";
import { tokenSource } from "./socket";

describe("tokenSource", () => {
  it("asks for a new client id once, then carries the one the server issued, so resent keystrokes apply once", async () => {
    const asked: (string | undefined)[] = [];
    const next = tokenSource(async ({ clientId }) => {
      asked.push(clientId);
      return { token: `t${asked.length}`, url: "http://127.0.0.1:1", clientId: clientId ?? "issued-1" };
    });
    expect((await next()).token).toBe("t1");
    expect((await next()).token).toBe("t2");
    await next();
    expect(asked).toEqual([undefined, "issued-1", "issued-1"]);
  });

  it("keeps the last client id it got when minting fails", async () => {
    const asked: (string | undefined)[] = [];
    let fail = false;
    const next = tokenSource(async ({ clientId }) => {
      asked.push(clientId);
      if (fail) throw new Error("session stopped");
      return { token: "t", url: "http://127.0.0.1:1", clientId: "issued-1" };
    });
    await next();
    fail = true;
    await expect(next()).rejects.toThrow("session stopped");
    fail = false;
    await next();
    expect(asked).toEqual([undefined, "issued-1", "issued-1"]);
  });
});
