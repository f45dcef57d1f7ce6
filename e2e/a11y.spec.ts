// Issue 12, item 6: every page that exists works for everyone. axe-core (WCAG 2.1 A and AA, contrast
// included) finds no serious or critical violation on the home page, a lab's start page, a running
// session, an invite link's join page and a stopped session, at 1440 and at 390 px; on a phone the
// steps and the terminal stack and the terminal still fits and types; the keyboard alone reaches the
// terminal, leaves it (Escape then Tab) and presses Check, whose outcome a live region reads out;
// the favicon is served.
import type { Locator } from "@playwright/test";
import { expect, test, type Page } from "./fixtures";
import { trackSessions } from "./engine";
import { DESKTOP, expectAccessible, expectAccessibleAtBothSizes, expectNoSidewaysScroll, PHONE } from "./a11y";
import { stopLab } from "./stopLab";

const sessionIdOf = trackSessions();

/**
 * Holds the page's requests to one tRPC procedure (the page shows its waiting state meanwhile) until
 * `release` lets them through, or aborts them (nothing is started).
 */
async function hold(page: Page, procedure: string) {
  let release!: (then: "continue" | "abort") => void;
  const released = new Promise<"continue" | "abort">((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname.startsWith("/api/trpc/") && url.pathname.includes(procedure),
    async (route) => ((await released) === "abort" ? route.abort() : route.fallback()),
  );
  return release;
}

/** Opens Bridge basics by its launch link and waits for the host's prompt. */
async function openSession(page: Page) {
  await page.goto("/labs/bridge-basics");
  const sessionId = await sessionIdOf(page);
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  const terminal = page.getByTestId("terminal");
  await expect(terminal).toContainText("/ #");
  return { sessionId, terminal };
}

/** Presses Tab (or Shift+Tab) until `target` has the focus; at most `limit` presses. Returns how many it took. */
async function tabUntilFocused(page: Page, isTarget: () => Promise<boolean>, key = "Tab", limit = 60): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press(key);
    if (await isTarget()) return presses;
  }
  throw new Error(`${limit} presses of ${key} never reached the element`);
}

test("the home page and a lab's start page pass axe at 1440 and 390 px; the favicon is served", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await page.goto("/");
  await expect(page.getByTestId("lab-cards")).toBeVisible();
  await expectAccessibleAtBothSizes(page, "the home page");

  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon, "the page links an icon").toBeTruthy();
  const answer = await page.request.get(icon!);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toMatch(/^image\//);

  // A launch link while the lab starts (its request held), then the same link for a lab that does not exist.
  const release = await hold(page, "session.start");
  await page.goto("/labs/bridge-basics");
  await expect(page.getByText("Starting bridge-basics…")).toBeVisible();
  await expectAccessibleAtBothSizes(page, "a lab's start page while it starts");
  release("abort");
  await page.unrouteAll({ behavior: "wait" });
  await page.goto("/labs/no-such-lab");
  await expect(page.getByRole("alert").filter({ hasText: "Could not start this lab" })).toBeVisible();
  await expectAccessibleAtBothSizes(page, "a lab's start page that could not start");
});

// One session for both tests (a session's start is the slow part): the keyboard first, on the page as it loaded.
test.describe("a session", () => {
  test.describe.configure({ mode: "serial" });
  let page: Page;
  let terminal: Locator;
  test.beforeAll(async ({ browser }) => {
    page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    ({ terminal } = await openSession(page));
  });
  test.afterAll(async () => page.context().close());

  test("by keyboard alone: Tab reaches the terminal, a command runs, Escape then Tab leaves it, Check is pressed and its outcome announced", async () => {
    const input = terminal.getByRole("textbox");
    // The terminal does not take the focus on load: the page starts at its top, as any page does.
    await expect(input).not.toBeFocused();

    const step = page.getByTestId("step-builtin-networks");
    const check = step.getByRole("button", { name: "Check" });
    const focused = (locator: Locator) => () => locator.evaluate((el) => el === document.activeElement);
    // Focus follows the page: the step's Check comes before the terminal.
    const toCheck = await tabUntilFocused(page, focused(check));
    const toTerminal = toCheck + (await tabUntilFocused(page, focused(input)));
    expect(toTerminal).toBeGreaterThan(toCheck);

    await page.keyboard.type("echo null > /tmp/none-driver; echo typed-$((6*7))\n");
    await expect(terminal).toContainText("typed-42");
    // Tab alone belongs to the shell (completion); Escape then Tab leaves, as the terminal's description says.
    await expect(input).toHaveAccessibleDescription(/Escape then Tab: leave the terminal/);
    await page.keyboard.press("Tab");
    await expect(input).toBeFocused();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    await expect(input).not.toBeFocused();

    // On to the step's Check (past the end of the page and round), pressed with Space.
    await tabUntilFocused(page, focused(check));
    await page.keyboard.press("Space");
    const announced = step.getByTestId("check-run-builtin-networks");
    await expect(announced).toHaveAttribute("aria-live", "polite");
    await expect(announced).toHaveText("Every check of this step holds.", { timeout: 20_000 });
    await expect(page.getByTestId("check-none-driver")).toHaveAttribute("data-passed", "true");
    await expect(check, "the focus stays on Check while it runs").toBeFocused();
    // Enter presses it too.
    await page.keyboard.press("Enter");
    await expect(announced).not.toHaveAttribute("data-phase", "finished", { timeout: 1_000 });
    await expect(announced).toHaveAttribute("data-phase", "finished", { timeout: 20_000 });
    await expect(announced).toHaveText("Every check of this step holds.");
  });

  test("a running session, its invite link's join page and the stopped session pass axe at 1440 and 390 px; on a phone the steps and the terminal stack", async ({
    browser,
  }) => {
    await expectAccessible(page, "a running session");

    // A phone: nothing wider than the screen; the steps above the terminal; the terminal refitted to its frame, and it types.
    await page.setViewportSize(PHONE);
    await expectAccessible(page, "a running session");
    await expectNoSidewaysScroll(page);
    const steps = (await page.getByRole("complementary", { name: "Lab steps" }).boundingBox())!;
    const frame = (await terminal.boundingBox())!;
    expect(steps.y + steps.height).toBeLessThanOrEqual(frame.y);
    for (const box of [steps, frame]) expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    const screen = terminal.locator(".xterm-screen");
    await expect.poll(async () => (await screen.boundingBox())!.width).toBeLessThanOrEqual(frame.width);
    await expect.poll(async () => (await screen.boundingBox())!.width).toBeGreaterThan(frame.width * 0.8);
    await terminal.click();
    await page.keyboard.type("echo narrow-$((6*7))\n");
    await expect(terminal).toContainText("narrow-42");

    // The invite link's join page while it joins (its request held), then the guest's session page.
    await page.setViewportSize(DESKTOP);
    await page.getByRole("button", { name: "Invite someone to type" }).click();
    const link = await page.getByTestId("invite-link").inputValue();
    const guest = await browser.newContext({ viewport: DESKTOP });
    const guestPage = await guest.newPage();
    const release = await hold(guestPage, "session.join");
    await guestPage.goto(link);
    await expect(guestPage.getByText("Joining the lab…")).toBeVisible();
    await expectAccessibleAtBothSizes(guestPage, "an invite link's join page");
    release("continue");
    await guestPage.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    await expect(guestPage.getByText("You joined this lab as a driver.")).toBeVisible();
    await guest.close();

    await stopLab(page);
    await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED", { timeout: 30_000 });
    await expectAccessibleAtBothSizes(page, "a stopped session");
  });
});
