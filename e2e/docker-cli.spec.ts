import { expect, test } from "./fixtures";
import { engine, trackSessions } from "./engine";
import { stopLab } from "./stopLab";

const sessionIdOf = trackSessions();

test("a learner types the seed's docker commands in the host terminal; the containers they make come and go as tabs", async ({
  page,
}) => {
  await page.goto("/labs/docker-cli");
  const sessionId = await sessionIdOf(page);
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 60_000 });
  const terminal = page.getByTestId("terminal");
  const tabs = page.getByRole("navigation", { name: "Terminals" });
  await terminal.click();
  await expect(terminal).toContainText("/ #");

  // 1. A closed container: ifconfig inside it shows only lo.
  await page.keyboard.type("docker run --name busybox1 -it --rm --network none busybox:latest\n");
  await expect(tabs.getByRole("button", { name: "busybox1" })).toBeVisible({ timeout: 15_000 });
  await page.keyboard.type("clear; ifconfig\n");
  await expect(terminal).toContainText("Local Loopback");
  await expect(terminal).not.toContainText("eth0");

  // 2. exit returns to the host's prompt; --rm removed the container, from the engine and from the tabs.
  // Keys typed while the CLI is still leaving the container are lost, as with a real `docker run
  // -it` (its stdin copy has read them for a connection that is closing), so the test types the
  // next command again until the host's shell, the one that has `docker`, answers it.
  await page.keyboard.type("exit\n");
  await expect(async () => {
    await page.keyboard.type("clear; command -v docker >/dev/null && docker ps -a && echo ps-done-$((40+2))\n");
    await expect(terminal).toContainText("ps-done-42", { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(terminal).toContainText("CONTAINER ID");
  await expect(terminal).not.toContainText("busybox1");
  await expect(tabs.getByRole("button", { name: "busybox1" })).toHaveCount(0, { timeout: 15_000 });
  expect((await engine.listSessionObjects(sessionId)).containers).toEqual([`wireroom-${sessionId}-host`]);

  // 3. A network of the learner's own appears beside the built-ins.
  await page.keyboard.type("clear; docker network create --driver bridge mynet && docker network ls\n");
  for (const row of [/bridge\s+bridge\s+local/, /host\s+host\s+local/, /mynet\s+bridge\s+local/, /none\s+null\s+local/])
    await expect(terminal).toContainText(row, { timeout: 15_000 });

  await stopLab(page);
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED");
  expect(await engine.listSessionObjects(sessionId)).toEqual({ containers: [], networks: [] });
});
