import { expect, test } from "./fixtures";
import { engine, trackSessions } from "./engine";
import { stopLab } from "./stopLab";

const sessionIdOf = trackSessions();

test("a learner starts Bridge basics, runs ifconfig in the host terminal, and stops the lab", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Start Bridge basics" }).click();
  const sessionId = await sessionIdOf(page);

  // Progress is shown while the worker provisions, then the terminal connects. The lab starts no
  // container of its own: the learner makes them with docker run in the host terminal.
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  expect(await engine.listSessionObjects(sessionId)).toEqual({
    containers: [`wireroom-${sessionId}-host`],
    networks: [`wireroom-${sessionId}-net-bridge`],
  });
  await expect(page.getByText("Terminal: host")).toBeVisible();

  const terminal = page.getByTestId("terminal");
  await terminal.click();
  await page.keyboard.type("ifconfig\n");
  await expect(terminal).toContainText("192.168.65.3"); // the session host's eth0, as on the seed's Docker host
  await expect(terminal).toContainText("inet addr:");
  await expect(terminal).toContainText("Local Loopback");

  // (Leaving the terminal by keyboard, Escape then Tab: a11y.spec.ts.)

  await stopLab(page);
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

  await stopLab(page);
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED");
});
