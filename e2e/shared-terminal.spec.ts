import { expect, test } from "./fixtures";
import { trackSessions } from "./engine";
import { stopLab } from "./stopLab";

const sessionIdOf = trackSessions();

test("two people on one terminal: what one types, the other sees; a viewer is read-only", async ({ page, browser }) => {
  await page.goto("/labs/bridge-basics");
  await sessionIdOf(page);
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });

  await page.getByRole("button", { name: "Invite someone to type" }).click();
  const driverLink = await page.getByTestId("invite-link").inputValue();
  const guest = await browser.newContext();
  const guestPage = await guest.newPage();
  await guestPage.goto(driverLink);
  await guestPage.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  await expect(guestPage.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await expect(page.getByTestId("presence")).toContainText("2 connected");

  await page.getByTestId("terminal").click();
  await page.keyboard.type("echo owner-says-$((6*7))\n");
  await expect(guestPage.getByTestId("terminal")).toContainText("owner-says-42");

  await guestPage.getByTestId("terminal").click();
  await guestPage.keyboard.type("echo guest-says-$((2+3))\n");
  await expect(page.getByTestId("terminal")).toContainText("guest-says-5");
  await expect(page.getByTestId("presence")).toContainText("last typed by");

  await page.getByRole("button", { name: "Invite someone to watch" }).click();
  const viewerLink = await page.getByTestId("invite-link").inputValue();
  const watcher = await browser.newContext();
  const watcherPage = await watcher.newPage();
  await watcherPage.goto(viewerLink);
  await expect(watcherPage.getByTestId("read-only")).toBeVisible({ timeout: 30_000 });
  await expect(watcherPage.getByTestId("terminal")).toContainText("guest-says-5"); // the screen, restored
  await watcherPage.getByTestId("terminal").click();
  await watcherPage.keyboard.type("echo watcher-typed\n");
  await page.getByTestId("terminal").click();
  await page.keyboard.type("echo after-$((1+1))\n");
  await expect(watcherPage.getByTestId("terminal")).toContainText("after-2");
  await expect(page.getByTestId("terminal")).not.toContainText("watcher-typed");

  await guest.close();
  await watcher.close();
  await stopLab(page);
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED");
});
