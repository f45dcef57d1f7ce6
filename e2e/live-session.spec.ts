// The session page is pushed what it shows (one tRPC subscription over SSE, fed by PostgreSQL
// NOTIFY): it does not poll while a session starts or while a check runs, and a check that could
// not run says why.
import { expect, test, type Page } from "./fixtures";
import { engine, trackSessions } from "./engine";

const sessionIdOf = trackSessions();

/** Every /api/trpc request the page makes, as "METHOD procedure(s)", in order. */
function recordTrpcRequests(page: Page): string[] {
  const requests: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/trpc/")) requests.push(`${request.method()} ${url.pathname.slice("/api/trpc/".length)}`);
  });
  return requests;
}

test("a session's start, its terminal and a Check cost a bounded number of requests: nothing polls", async ({ page }) => {
  const requests = recordTrpcRequests(page);
  await page.goto("/");
  await page.getByRole("button", { name: /^Start Choosing the network/ }).click();
  await sessionIdOf(page);
  const arrived = requests.length;
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "READY", { timeout: 30_000 });
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  const started = requests.slice(arrived);
  // One subscription followed the whole start; the terminal asked for its token. Polling session.get
  // every 500 ms would add one request per half second of the start, and progress more.
  expect(started.filter((r) => r.includes("live.session"))).toHaveLength(1);
  expect(started.filter((r) => /session\.get|grading\.progress/.test(r))).toEqual([]);
  expect(started.length, started.join("\n")).toBeLessThanOrEqual(3);

  // Time passes on an event the page waits for (a 3 s command in the terminal): no request is made.
  const before = requests.length;
  await page.getByTestId("terminal").click();
  await page.keyboard.type("sleep 3; echo slept-$((6*7))\n");
  await expect(page.getByTestId("terminal")).toContainText("slept-42", { timeout: 15_000 });
  expect(requests.slice(before)).toEqual([]);

  // A Check is one request; its outcome is pushed.
  const step = page.getByTestId("step-explicit-bridge");
  await step.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("check-busybox1-bridge")).toHaveAttribute("data-passed", "false");
  await expect(step.getByRole("button", { name: "Check" })).toBeEnabled();
  expect(requests.slice(before)).toEqual(["POST grading.check"]);
});

test("a Check whose probe cannot finish shows 'could not run: <reason>', and Check works again", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: /^Start Bridge basics/ }).click();
  const sessionId = await sessionIdOf(page);
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "READY", { timeout: 30_000 });
  // The step's probe is `cat /tmp/none-driver` in the host. As a FIFO it blocks, and the engine's
  // exec times out after 5 s: the check task really fails, through the real Docker adapter.
  await engine.run(sessionId, "host", ["sh", "-c", "mkfifo /tmp/none-driver"]);

  const step = page.getByTestId("step-builtin-networks");
  const check = step.getByRole("button", { name: /Check/ });
  await check.click();
  await expect(step.getByRole("status").filter({ hasText: "Checking this step" })).toBeVisible();
  await expect(step.getByTestId("check-run-builtin-networks")).toHaveText(
    "could not run: in host: sh -c cat /tmp/none-driver did not finish within 5000 ms",
    {
      timeout: 20_000,
    },
  );
  await expect(check).toBeEnabled();
  await expect(page.getByTestId("check-none-driver")).toHaveAttribute("data-passed", "unknown"); // nothing was judged

  // Fixed: the next press is judged again (a failed check, with its message), and the error is gone.
  await engine.run(sessionId, "host", ["sh", "-c", "rm /tmp/none-driver"]);
  await check.click();
  await expect(page.getByTestId("check-none-driver")).toHaveAttribute("data-passed", "false");
  await expect(step.getByTestId("check-run-builtin-networks")).toHaveText(/^Not yet: each check that failed says why/);
});
