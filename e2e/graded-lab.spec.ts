import { expect, test } from "./fixtures";
import { trackSessions } from "./engine";

const sessionIdOf = trackSessions();

test("lab 6: run the clickable commands, Check each step, Submit, see the score", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Start Joined containers: --network container:<name>" }).click();
  await sessionIdOf(page);
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });

  // Step 1: a fresh session fails its checks, with their messages.
  const step1 = page.getByTestId("step-same-identity");
  await step1.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("check-same-mac")).toHaveAttribute("data-passed", "false");
  await expect(page.getByTestId("check-same-mac")).toContainText("does not hold busybox1's MAC");

  await step1.getByRole("button", { name: "Run in busybox2" }).click();
  await expect(page.getByTestId("terminal")).toContainText(/([0-9A-F]{2}:){5}[0-9A-F]{2}/);
  await step1.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("check-same-mac")).toHaveAttribute("data-passed", "true");
  await expect(page.getByTestId("check-same-ip")).toHaveAttribute("data-passed", "true");
  await expect(step1).toHaveAttribute("data-passed", "true");

  // Step 2: serve the session's token on busybox1's loopback, fetch it from busybox2.
  const step2 = page.getByTestId("step-shared-localhost");
  await step2.getByRole("button", { name: "Run in busybox1" }).click();
  await expect(page.getByRole("button", { name: "busybox1", pressed: true })).toBeVisible();
  // The shell echoes the command once it has read it: only then switch terminals.
  await expect(page.getByTestId("terminal")).toContainText("httpd -p 127.0.0.1:8080");
  await step2.getByRole("button", { name: "Run in busybox2" }).click();
  await expect(page.getByTestId("terminal")).toContainText("200 OK");
  await step2.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("check-localhost")).toHaveAttribute("data-passed", "true");

  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("score")).toContainText("6 / 6");
  await expect(page.getByTestId("score")).toContainText("attempt 1");
});
