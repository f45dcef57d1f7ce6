// The gateway's handshake while its worker drains: a valid token is refused `restarting` (the browser's
// resume loop waits and tries again) before the database is even asked.
import { describe, expect, it } from "vitest";
import type { Socket } from "socket.io";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { refusal } from "~/protocol/terminalProtocol";
import { authenticate } from "./authenticate";
import type { TerminalHub } from "./terminalHub";

const SECRET = "s".repeat(40);
const SESSION = "8d0f7f4e-3b7a-4c36-9d7e-2f4a1f0b9c11";

async function handshake(closing: boolean) {
  const token = await signTerminalToken(SECRET, {
    sub: "user-1",
    sid: SESSION,
    terminal: "busybox1",
    role: "driver",
    cid: "c".repeat(24),
    handle: "guest-abc",
  });
  const db = new Proxy(
    {},
    {
      get: () => {
        throw new Error("the database was asked");
      },
    },
  );
  const hub = { closing, refusalFor: () => undefined } as unknown as TerminalHub;
  const socket = { handshake: { auth: { token, sessionId: SESSION, terminal: "busybox1" } } } as unknown as Socket;
  return new Promise<(Error & { data?: { reason?: string } }) | undefined>(
    (resolve) => void authenticate({ db: db as never, secret: SECRET, hub, workerId: "w-1" })(socket, resolve),
  );
}

describe("authenticate while the worker drains", () => {
  it("refuses a valid token with `restarting`, without asking the database", async () => {
    const refused = await handshake(true);
    expect(refused?.message).toBe(refusal.restarting);
    expect(refused?.data?.reason).toBe("restarting");
  });

  it("goes on to the session's access when the worker is not closing (here: the database, which this test refuses)", async () => {
    const refused = await handshake(false);
    expect(refused?.data?.reason).toBe("internal");
  });
});
