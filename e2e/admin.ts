// The platform's one admin, for the specs that need one. The first caller of a run signs up, redeems
// the setup token that the launcher's web wrote to .data/e2e/setup-token (scripts/platform.ts sets
// SETUP_TOKEN_FILE) and keeps the credentials beside it; later callers of the same run (same token)
// sign in with them. Playwright runs one worker, so callers never race.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "./fixtures";

const DATA_DIR = path.resolve(import.meta.dirname, "..", ".data", "e2e");
const TOKEN_FILE = path.join(DATA_DIR, "setup-token");
const ADMIN_FILE = path.join(DATA_DIR, "admin.json");
/** The web's origin (playwright.config.ts' baseURL): better-auth and tRPC refuse POSTs from others. */
const ORIGIN = "http://127.0.0.1:3100";

export type Credentials = { name: string; email: string; password: string };

/**
 * Waits until the page's context has its guest identity (the page signs a visitor in anonymously as
 * it loads): signing up or in before that lands would let the guest's cookie replace the account's.
 */
async function guestIdentity(page: Page): Promise<void> {
  await expect
    .poll(async () => (await page.context().cookies()).some((c) => c.name.endsWith(".session_token")), {
      message: "the page never got its guest identity",
    })
    .toBe(true);
}

/** Signs the page's browser context up as a new account (a guest's work moves to it). */
export async function signUp(page: Page, name: string): Promise<Credentials> {
  await guestIdentity(page);
  const credentials = { name, email: `${randomUUID().slice(0, 12)}@example.test`, password: `pw-${randomUUID()}` };
  const answer = await page.request.post("/api/auth/sign-up/email", {
    data: credentials,
    headers: { origin: ORIGIN },
  });
  expect(answer.status(), await answer.text()).toBe(200);
  return credentials;
}

async function signIn(page: Page, { email, password }: Credentials): Promise<void> {
  await guestIdentity(page);
  const answer = await page.request.post("/api/auth/sign-in/email", {
    data: { email, password },
    headers: { origin: ORIGIN },
  });
  expect(answer.status(), await answer.text()).toBe(200);
}

/** Signs the page's context in as the admin of this run (made with the setup token on first use). */
export async function signInAsAdmin(page: Page): Promise<Credentials> {
  const token = readFileSync(TOKEN_FILE, "utf8").trim();
  if (existsSync(ADMIN_FILE)) {
    const kept = JSON.parse(readFileSync(ADMIN_FILE, "utf8")) as Credentials & { token: string };
    if (kept.token === token) {
      await signIn(page, kept);
      return kept;
    }
  }
  const credentials = await signUp(page, "Ada Admin");
  const answer = await page.request.post("/api/trpc/account.redeemSetupToken", {
    data: { json: { token } },
    headers: { origin: ORIGIN },
  });
  expect(answer.status(), await answer.text()).toBe(200);
  writeFileSync(ADMIN_FILE, JSON.stringify({ ...credentials, token }), { mode: 0o600 });
  return credentials;
}
