import { expect, test, type Page } from "@playwright/test";
import { loadProvisionerConfig } from "../worker/config";
import { dockerProvisionerFromConfig } from "../worker/provisioner/docker/fromConfig";

// Engine state is read through the worker's own Docker adapter (dockerode lives only there).
const engine = dockerProvisionerFromConfig(loadProvisionerConfig(), "00000000-0000-4000-8000-0000000000e2"); // reads and removes only

// Sessions this file started; removed from the engine even when a test fails half-way.
const sessions: string[] = [];
async function sessionIdOf(page: Page): Promise<string> {
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  sessions.push(id);
  return id;
}
test.afterAll(async () => {
  for (const id of sessions) await engine.teardown(id);
});

test("a learner starts Bridge basics, runs ifconfig in the live terminal, and stops the lab", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Start Bridge basics" }).click();
  const sessionId = await sessionIdOf(page);

  // Progress is shown while the worker provisions, then the terminal connects.
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  expect(await engine.listSessionObjects(sessionId)).toEqual({
    containers: [`netlab-${sessionId}-busybox1`, `netlab-${sessionId}-host`],
    networks: [`netlab-${sessionId}-net-bridge`],
  });

  const terminal = page.getByTestId("terminal");
  await terminal.click();
  await page.keyboard.type("ifconfig\n");
  await expect(terminal).toContainText("eth0");
  await expect(terminal).toContainText("inet addr:");
  await expect(terminal).toContainText("Local Loopback");

  await page.getByRole("button", { name: "Stop lab" }).click();
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED");
  expect(await engine.listSessionObjects(sessionId)).toEqual({ containers: [], networks: [] });
});

test("a launch link to an unknown lab shows what went wrong and which labs exist", async ({ page }) => {
  await page.goto("/labs/no-such-lab");
  // (Next.js keeps an empty role=alert route announcer on every page.)
  const alert = page.getByRole("alert").filter({ hasText: "Could not start this lab" });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('There is no lab called "no-such-lab"');
  await expect(alert).toContainText("bridge-basics");
});

test("another browser cannot open someone else's session", async ({ page, browser }) => {
  await page.goto("/labs/bridge-basics");
  await sessionIdOf(page);
  const url = page.url();
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "READY", { timeout: 30_000 });

  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(url);
  await expect(strangerPage.getByRole("alert").filter({ hasText: "does not exist or is not yours" })).toBeVisible();
  await expect(strangerPage.getByTestId("terminal")).toHaveCount(0);
  await stranger.close();

  await page.getByRole("button", { name: "Stop lab" }).click();
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED");
});
