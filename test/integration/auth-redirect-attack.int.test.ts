// A magic link that lands on another site (helper R3): better-auth checks callback URLs against the
// web's origins except under test (NODE_ENV=test or TEST set, as vitest sets it: it then skips every
// origin check), so this file runs as `next start` does. The link is printed to the web's log.
import "../support/productionMode";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as authRoute from "~/app/api/auth/[...all]/route";
import { db, learner } from "../support/harness";
import { signUp, TEST_PASSWORD } from "../support/people";

// Read when the auth instance is first made (at the first request below), not at import.
delete process.env.TEST;

const WEB = "http://127.0.0.1:3000"; // one of WEB_ORIGINS' defaults
const FOREIGN = ["https://evil.test/steal", "//evil.test/x", "http://127.0.0.1:3000.evil.test/x"];

afterEach(() => vi.restoreAllMocks());

/** Asks for a magic link; the answer's status and the link printed to the log (if any). */
async function askLink(fields: Record<string, string>) {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
  const res = await authRoute.POST(
    new Request(`${WEB}/api/auth/sign-in/magic-link`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: WEB },
      body: JSON.stringify({ email: `link-${randomUUID().slice(0, 8)}@attack.test`, ...fields }),
    }),
  );
  vi.restoreAllMocks();
  const line = lines.find((l) => l.includes("magic link for"));
  return { status: res.status, link: line ? new URL(line.split(": ").at(-1)!) : undefined };
}

describe("magic links", () => {
  it("refuses callback URLs on another site when the link is asked for", async () => {
    for (const field of ["callbackURL", "newUserCallbackURL", "errorCallbackURL"])
      for (const url of FOREIGN) {
        const { status, link } = await askLink({ [field]: url });
        expect(status, `${field}=${url}`).toBe(403);
        expect(link).toBeUndefined();
      }
  });

  it("a link whose callback was changed to another site does not send the signed-in learner there", async () => {
    const { status, link } = await askLink({ callbackURL: "/classes" });
    expect(status).toBe(200);
    const forged = new URL(link!);
    forged.searchParams.set("callbackURL", FOREIGN[0]!);
    const res = await authRoute.GET(new Request(forged.toString().replace(forged.origin, WEB)));
    expect(res.headers.get("location") ?? "").not.toMatch(/evil\.test/);
  });
});

describe("a foreign page signing a guest in to the attacker's account (which would take the guest's work)", () => {
  it("is refused: the guest keeps their session", async () => {
    const address = `thief-${randomUUID().slice(0, 8)}@attack.test`;
    await signUp("Thief", address);
    const guest = await learner();
    const { id } = await db().labSession.create({
      data: { labSlug: "bridge-basics", ownerId: guest.id, expiresAt: new Date(Date.now() + 3600_000) },
    });
    for (const origin of ["https://evil.test", "null"]) {
      const res = await authRoute.POST(
        new Request(`${WEB}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin, cookie: guest.cookie },
          body: JSON.stringify({ email: address, password: TEST_PASSWORD }),
        }),
      );
      expect(res.status, origin).toBe(403);
    }
    expect((await db().labSession.findUniqueOrThrow({ where: { id } })).ownerId).toBe(guest.id);
  });
});
