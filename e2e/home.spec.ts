// The learner's home and the end of a lab (issue 12, item 5): the home lists the running lab (Open,
// Stop confirmed) and the score submitted; Stop's dialog takes the focus, Esc cancels and gives it
// back; after a stop the lab page keeps the steps, the check results and the score read-only (no
// Check, Submit, Type or terminal), with Start again (a new session of the lab) and Back to home.
// axe on the home and the stopped page at 1440 and 390 px.
import { expectAccessibleAtBothSizes } from "./a11y";
import { trackSessions } from "./engine";
import { expect, test } from "./fixtures";

const sessionIdOf = trackSessions();

test.describe.configure({ mode: "serial" });

test("home: a running lab, its score, Stop confirmed; the stopped page keeps the steps and score read-only; Start again", async ({
  page,
}) => {
  await page.goto("/");
  const running = page.getByRole("region", { name: "Your running labs" });
  await expect(running.getByText("No lab is running.")).toBeVisible();
  await expectAccessibleAtBothSizes(page, "the home page with no lab running");

  // Start a lab, check a step of the fresh session (it fails: nothing made yet), then submit.
  await page.getByRole("button", { name: "Start Bridge basics" }).click();
  const sessionId = await sessionIdOf(page);
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "READY", { timeout: 30_000 });
  await expect(page.getByTestId("time-left")).toContainText(/\d+ (min|h)/);
  // Presence names people by their display name (user.name), and this learner as "(you)".
  const me = (await (await page.request.get("/api/auth/get-session")).json()) as { user: { name: string } };
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await page.getByTestId("terminal").click();
  await page.keyboard.type("echo home-$((6*7))\n");
  await expect(page.getByTestId("terminal")).toContainText("home-42");
  await expect(page.getByTestId("presence")).toContainText(`last typed by ${me.user.name} (you)`);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("score")).toContainText("attempt 1", { timeout: 30_000 });
  const score = (await page.getByTestId("score").locator("strong").textContent())!.trim();
  const checksBefore = await page.locator("[data-testid^='check-'][data-passed]").count();
  expect(checksBefore).toBeGreaterThan(0);

  // The home lists it with its status, time left, Open and Stop, and the result with its score.
  await page.goto("/");
  const row = page.getByTestId(`running-${sessionId}`);
  await expect(row).toContainText("Bridge basics");
  await expect(row).toContainText("Running");
  await expect(row).toContainText(/min left|h left/);
  await expect(page.getByTestId("my-results")).toContainText("Bridge basics");
  await expect(page.getByTestId("my-results")).toContainText(score.replace(/\s+/g, " "));
  await expectAccessibleAtBothSizes(page, "the home page with a running lab and a result");

  // Stop asks first: the dialog takes the focus (Cancel); Esc cancels and gives the focus back to Stop.
  const stopOnHome = row.getByRole("button", { name: "Stop Bridge basics" });
  await stopOnHome.click();
  const dialog = page.getByRole("dialog", { name: /^Stop Bridge basics.*\?$/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(stopOnHome).toBeFocused();
  await expect(row).toContainText("Running");

  // Open leads to the lab; its Stop, confirmed, stops it.
  await row.getByRole("link", { name: "Open Bridge basics" }).click();
  await page.waitForURL(new RegExp(`/sessions/${sessionId}$`));
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "READY", { timeout: 30_000 });
  await page.getByRole("button", { name: "Stop lab" }).click();
  const confirm = page.getByRole("dialog", { name: /^Stop Bridge basics.*\?$/ });
  await confirm.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED", { timeout: 30_000 });
  await expect(page.getByTestId("session-status")).toContainText("You ended this session.");

  // Read-only: the steps, their results and the score stay; no Check, Submit, Type or terminal.
  const steps = page.getByTestId("ended-steps");
  await expect(steps.getByRole("complementary", { name: "Lab steps" })).toBeVisible();
  await expect(page.locator("[data-testid^='check-'][data-passed]")).toHaveCount(checksBefore);
  await expect(page.getByTestId("score")).toContainText(score.replace(/\s+/g, " "));
  await expect(page.getByRole("button", { name: "Check", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Submit", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Type in / })).toHaveCount(0);
  await expect(page.getByTestId("terminal")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Back to home" })).toBeVisible();
  await expectAccessibleAtBothSizes(page, "a stopped lab's read-only page");

  // Start again: a new session of the same lab.
  await page.getByRole("button", { name: "Start again" }).click();
  await page.waitForURL((url) => /\/sessions\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(sessionId));
  const again = await sessionIdOf(page);
  expect(again).not.toBe(sessionId);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Bridge basics");
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "READY", { timeout: 30_000 });
  await page.getByRole("button", { name: "Stop lab" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop", exact: true }).click();
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED", { timeout: 30_000 });

  // Home: nothing running; the stopped lab's result stays.
  await page.getByRole("link", { name: "Back to home" }).click();
  await expect(page.getByRole("region", { name: "Your running labs" }).getByText("No lab is running.")).toBeVisible();
  await expect(page.getByTestId("my-results")).toContainText("Bridge basics");
});
