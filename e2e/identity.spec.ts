import { expect, test } from "./fixtures";

test("a fresh browser is given an opaque, server-issued session cookie before the page uses the API", async ({
  page,
  context,
  request,
}) => {
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Start Bridge basics" })).toBeVisible();

  const cookies = await context.cookies();
  expect(cookies.map((c) => c.name)).not.toContain("netlab_learner");
  const session = cookies.find((c) => c.name.endsWith("session_token"));
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  const value = decodeURIComponent(session!.value);
  expect(value).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  expect(value).toMatch(/^[A-Za-z0-9]{20,}\.[A-Za-z0-9+/]+=*$/); // token.signature

  // The server knows who this is; the cookie does not say it.
  const me = (await (await page.request.get("/api/auth/get-session")).json()) as { user: { id: string; name: string } };
  expect(me.user.name).toMatch(/^guest-/);
  expect(value).not.toContain(me.user.id);
  expect(value).not.toContain(me.user.name);

  // Without the cookie the API answers UNAUTHORIZED and mints nothing.
  const input = encodeURIComponent(JSON.stringify({ json: { sessionId: "00000000-0000-4000-8000-000000000000" } }));
  const bare = await request.get(`/api/trpc/session.get?input=${input}`);
  expect(bare.status()).toBe(401);
  expect(bare.headers()["set-cookie"]).toBeUndefined();
});
