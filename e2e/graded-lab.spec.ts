import { expect, test } from "./fixtures";
import { trackSessions } from "./engine";

const sessionIdOf = trackSessions();

test("Joined containers by clicking: a command is typed without Enter into its terminal, a step's solution is revealed and typed, Submit records the reveal", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("button", { name: /^Start Joined containers/ }).click();
  await sessionIdOf(page);
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  const terminal = page.getByTestId("terminal");
  const tabs = page.getByRole("navigation", { name: "Terminals" });
  await expect(terminal).toContainText("/ #");

  // Step 1: a fresh session fails its checks, with their messages.
  const step1 = page.getByTestId("step-same-identity");
  await step1.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("check-busybox2-joined")).toHaveAttribute("data-passed", "false");
  await expect(page.getByTestId("check-busybox2-joined")).toContainText(
    "No container busybox2 runs with --network container:busybox1",
  );
  await expect(page.getByTestId("hints-busybox2-joined")).toContainText("Hint 1:");

  // A command for a container that does not exist yet is not typed, and says why.
  const ifconfig1 = step1.locator("form").filter({ has: page.getByRole("button", { name: "Type in busybox1" }) });
  await ifconfig1.getByRole("button", { name: "Type in busybox1" }).click();
  await expect(ifconfig1.getByRole("status")).toContainText("there is no busybox1 in this session yet");

  // A click types the command into the host terminal and focuses it; Enter runs it.
  const runs = step1.getByRole("button", { name: "Type in host" });
  await runs.nth(0).click();
  await expect(terminal).toContainText("docker run -dit --name busybox1 busybox");
  await expect(terminal.getByRole("textbox")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(tabs.getByRole("button", { name: "busybox1" })).toBeVisible({ timeout: 15_000 });
  await runs.nth(1).click();
  await expect(terminal).toContainText("--network container:busybox1 busybox");
  await page.keyboard.press("Enter");
  await expect(tabs.getByRole("button", { name: "busybox2" })).toBeVisible({ timeout: 15_000 });

  // The solution: a confirm step first (Cancel leaves it hidden), then it shows, and its commands type like the instructions'.
  await step1.getByRole("button", { name: "Show solution" }).click();
  await expect(step1.getByRole("group")).toContainText("Your submission will record");
  await step1.getByRole("button", { name: "Cancel" }).click();
  await expect(step1.getByRole("button", { name: "Show solution" })).toBeFocused();
  await step1.getByRole("button", { name: "Show solution" }).click();
  await step1.getByRole("button", { name: "Reveal the solution" }).click();
  const solution = page.getByTestId("solution-same-identity");
  await expect(solution).toContainText("cat /sys/class/net/eth0/address > /tmp/mac");
  await solution.getByRole("button", { name: "Type in busybox2" }).click();
  await expect(tabs.getByRole("button", { name: "busybox2", pressed: true })).toBeVisible();
  await expect(terminal).toContainText("cat /sys/class/net/eth0/address > /tmp/mac");
  await page.keyboard.press("Enter");
  await page.keyboard.type("cat /tmp/mac\n");
  await expect(terminal).toContainText(/([0-9a-f]{2}:){5}[0-9a-f]{2}/);
  await step1.getByRole("button", { name: "Check" }).click();
  await expect(step1).toHaveAttribute("data-passed", "true", { timeout: 20_000 });
  await expect(page.getByTestId("check-same-mac")).toHaveAttribute("data-passed", "true");

  // Step 2: serve the session's token on busybox1's loopback, fetch it from busybox2.
  const step2 = page.getByTestId("step-shared-localhost");
  await step2.getByRole("button", { name: "Type in busybox1" }).click();
  await expect(tabs.getByRole("button", { name: "busybox1", pressed: true })).toBeVisible();
  await expect(terminal).toContainText("httpd -p 127.0.0.1:8080");
  await page.keyboard.press("Enter");
  await page.keyboard.type("echo served-$((6*7))\n");
  await expect(terminal).toContainText("served-42");
  await step2.getByRole("button", { name: "Type in busybox2" }).click();
  await expect(terminal).toContainText("wget -qO- http://127.0.0.1:8080/");
  await page.keyboard.press("Enter");
  await step2.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("check-localhost")).toHaveAttribute("data-passed", "true", { timeout: 20_000 });

  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("score")).toContainText("6 / 6", { timeout: 20_000 });
  await expect(page.getByTestId("score")).toContainText("attempt 1");
  await expect(page.getByTestId("revealed-steps")).toContainText("One interface, two containers");
});
