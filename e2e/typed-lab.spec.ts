// Issue 11 in Chromium: a whole lab done by typing the seed's commands on the keyboard, a command
// with a placeholder that is never sent as written, a shell that exits and is offered again, the
// home page in the seed's order, and the playground saying what its containers are.
import { expect, test, type Page } from "./fixtures";
import { trackSessions } from "./engine";
import { stopLab } from "./stopLab";

const sessionIdOf = trackSessions();

/** Starts Bridge basics from the home page and waits for its host terminal. */
async function startBridgeBasics(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: /^Start Bridge basics/ }).click();
  await sessionIdOf(page);
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  const terminal = page.getByTestId("terminal");
  await expect(terminal).toContainText("/ #");
  return terminal;
}

/** Presses a step's Check and waits for that press's run to finish (a run takes far longer than the click's re-render). */
async function check(page: Page, stepId: string) {
  const step = page.getByTestId(`step-${stepId}`);
  const phase = step.getByTestId(`check-run-${stepId}`);
  await step.getByRole("button", { name: "Check" }).click();
  await expect(phase).not.toHaveAttribute("data-phase", "finished", { timeout: 1_000 });
  await expect(phase).toHaveAttribute("data-phase", "finished", { timeout: 20_000 });
}

test("Bridge basics done by typing the seed's commands: a fresh session fails every check, then each step passes and Submit gives full marks", async ({
  page,
}) => {
  const terminal = await startBridgeBasics(page);

  // A fresh session fails every check, each with its message.
  await check(page, "builtin-networks");
  await expect(page.getByTestId("check-none-driver")).toHaveAttribute("data-passed", "false");
  await expect(page.getByTestId("check-none-driver")).toContainText("does not hold the driver of the none network");
  await check(page, "first-container");
  for (const id of ["busybox1-bridge", "my-ip", "my-mask"])
    await expect(page.getByTestId(`check-${id}`)).toHaveAttribute("data-passed", "false");
  await expect(page.getByTestId("check-busybox1-bridge")).toContainText("No container busybox1 runs on the default bridge");

  // S1: the three networks; the learner reads the none network's driver and writes it down.
  await terminal.click();
  await page.keyboard.type("docker network ls\n");
  await expect(terminal).toContainText(/none\s+null\s+local/);
  await page.keyboard.type("echo null > /tmp/none-driver\n");
  await check(page, "builtin-networks");
  await expect(page.getByTestId("check-none-driver")).toHaveAttribute("data-passed", "true");
  await expect(page.getByTestId("step-builtin-networks")).toHaveAttribute("data-passed", "true");

  // S2: a container on the default bridge, its address and mask read from ifconfig and typed back.
  await terminal.click(); // (Check had the focus)
  await page.keyboard.type("docker run -dit --name busybox1 busybox\n");
  const tab = page.getByRole("navigation", { name: "Terminals" }).getByRole("button", { name: "busybox1" });
  await expect(tab).toBeVisible({ timeout: 15_000 });
  await tab.click();
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected");
  await expect(terminal).toContainText("/ #");
  await terminal.click();
  await page.keyboard.type("ifconfig eth0\n");
  await expect(terminal).toContainText(/inet addr:\d+\.\d+\.\d+\.\d+\s+Bcast:\S+\s+Mask:255\.255\.0\.0/);
  const shown = (await terminal.textContent()) ?? "";
  const [, address] = /inet addr:(\d+\.\d+\.\d+\.\d+)/.exec(shown)!;
  const [, mask] = /Mask:(\d+\.\d+\.\d+\.\d+)/.exec(shown)!;
  await page.keyboard.type(`echo ${address} > /tmp/my-ip\n`);
  await page.keyboard.type(`echo ${mask} > /tmp/my-mask\n`);
  await page.keyboard.type("cat /tmp/my-ip /tmp/my-mask\n");
  // (The screen's rows are read without line breaks.)
  await expect(terminal).toContainText(`my-mask${address}${mask}/ #`);
  await check(page, "first-container");
  for (const id of ["busybox1-bridge", "my-ip", "my-mask"])
    await expect(page.getByTestId(`check-${id}`)).toHaveAttribute("data-passed", "true");

  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("score")).toContainText("5 / 5", { timeout: 20_000 });
  await expect(page.getByTestId("revealed-steps")).toHaveCount(0);
});

test("a command with a placeholder is not sent until it is filled; filled, it is typed without Enter; failed Checks unlock hint 1, then hint 2", async ({
  page,
}) => {
  const terminal = await startBridgeBasics(page);
  const step = page.getByTestId("step-builtin-networks");
  const hints = page.getByTestId("hints-none-driver");

  await check(page, "builtin-networks");
  await expect(hints.getByRole("listitem")).toHaveCount(1);
  await expect(hints).toContainText("Hint 1:");

  // The command is marked as holding a placeholder, with a labelled input for it.
  const command = step.locator("form").filter({ hasText: "/tmp/none-driver" });
  await expect(command.locator("mark.placeholder")).toHaveText("<DRIVER>");
  const input = command.getByLabel("DRIVER");
  const type = command.getByRole("button", { name: "Type in host" });

  // Empty: nothing is sent, and the message says what to fill (the input is focused for it).
  await type.click();
  await expect(command.getByRole("status")).toHaveText("Not typed: fill in DRIVER first.");
  await expect(input).toBeFocused();
  await expect(input).toHaveAttribute("aria-invalid", "true");
  // Anything sent earlier would show before this marker.
  await terminal.click();
  await page.keyboard.type("echo marker-$((6*7))\n");
  await expect(terminal).toContainText("marker-42");
  await expect(terminal).not.toContainText("none-driver");

  await input.fill("null");
  await input.press("Enter"); // the form's button, by keyboard
  await expect(command.getByRole("status")).toHaveText("");
  await expect(terminal).toContainText("echo null > /tmp/none-driver");
  // The terminal has the focus, the command waits on the prompt line: nothing ran (the check still fails).
  await expect(terminal.getByRole("textbox")).toBeFocused();
  await check(page, "builtin-networks");
  await expect(page.getByTestId("check-none-driver")).toHaveAttribute("data-passed", "false");
  await expect(hints.getByRole("listitem")).toHaveCount(2);
  await expect(hints).toContainText("Hint 2:");

  // Enter in the terminal runs it.
  await terminal.click(); // (Check had the focus)
  await page.keyboard.press("Enter");
  await check(page, "builtin-networks");
  await expect(page.getByTestId("check-none-driver")).toHaveAttribute("data-passed", "true");
  await expect(hints).toHaveCount(0);
});

test("`exit` in a shell shows 'shell exited — press Enter for a new one', and Enter opens a new shell", async ({ page }) => {
  const terminal = await startBridgeBasics(page);
  await terminal.click();
  await page.keyboard.type("echo before-$((6*7))\n");
  await expect(terminal).toContainText("before-42");
  await page.keyboard.type("exit\n");
  const state = page.getByTestId("terminal-state");
  await expect(state).toHaveAttribute("data-state", "exited");
  await expect(state).toHaveText("shell exited — press Enter for a new one");
  await expect(terminal).toContainText("[shell exited — press Enter for a new one]");
  // Keys other than Enter go nowhere; Enter opens a new shell, with a prompt of its own.
  await page.keyboard.type("ls");
  await page.keyboard.press("Enter");
  await expect(state).toHaveAttribute("data-state", "connected");
  await expect(terminal).not.toContainText("before-42"); // a new shell: a fresh screen
  await expect(terminal).toContainText("/ #");
  await page.keyboard.type("echo again-$((6*7))\n");
  await expect(terminal).toContainText("again-42");
});

type ListedLab = { slug: string; title: string; covers: string[]; points: number };

test("the home page lists the labs in the seed's order: by the first observation each covers, reviews after, playgrounds last", async ({
  page,
}) => {
  // The home batches its queries (/api/trpc/session.mine,lab.list,…?batch=1): lab.list's answer is
  // the one at its place in the path.
  const proceduresOf = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\/api\/trpc\//, "")).split(",");
  const listed = page.waitForResponse((r) => r.url().includes("/api/trpc/") && proceduresOf(r.url()).includes("lab.list"));
  await page.goto("/");
  const response = await listed;
  type Answer = { result: { data: { json: ListedLab[] } } };
  const body = (await response.json()) as Answer[] | Answer;
  const labs = (Array.isArray(body) ? body[proceduresOf(response.url()).indexOf("lab.list")]! : body).result.data.json;
  expect(labs.length).toBeGreaterThan(3);

  const cards = page.getByTestId("lab-cards").getByRole("heading", { level: 3 });
  await expect(cards).toHaveText(labs.map((lab) => lab.title));

  // The seed's order, computed here from what each lab covers (S1..S12).
  const at = (lab: ListedLab) => lab.covers.map((s) => Number(s.slice(1)));
  const group = (lab: ListedLab) => (lab.points === 0 ? 2 : at(lab).length === 12 ? 1 : 0);
  const expected = [...labs].sort(
    (a, b) =>
      group(a) - group(b) ||
      Math.min(...at(a)) - Math.min(...at(b)) ||
      Math.max(...at(a)) - Math.max(...at(b)) ||
      a.slug.localeCompare(b.slug),
  );
  expect(labs.map((lab) => lab.slug)).toEqual(expected.map((lab) => lab.slug));
  expect(labs[0]!.covers[0]).toBe("S1");
  // Cards say what the learner will do, in words: no "covers S1, S2".
  await expect(page.getByTestId("lab-cards")).not.toContainText(/covers S\d/);
});

test("the playground says what each of its containers is, its network mode and what to try", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: /^Start A tour of the network modes/ }).click();
  await sessionIdOf(page);
  const guide = page.getByTestId("container-guide");
  await expect(guide).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: "Containers in this lab" })).toBeVisible();
  const row = (name: string) => guide.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
  await expect(guide.getByRole("rowheader")).toHaveText(["busybox1", "busybox2", "closed", "hosted", "joined", "web", "client"]);
  await expect(row("closed").getByRole("cell").first()).toHaveText("none");
  await expect(row("closed")).toContainText("only its loopback");
  await expect(row("joined").getByRole("cell").first()).toHaveText("container:busybox1");
  await expect(row("web").getByRole("cell").first()).toHaveText("mynet");
  await stopLab(page);
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", /STOPPING|STOPPED/);
});
