// The line when every lab host is full, in the browser: the learner sees their place, the page is
// accessible at both sizes and by keyboard, and the lab starts by itself once a place frees. The
// launcher's one worker is given room for one session by setting its registered capacity to 1 in
// the run's own database (the heartbeat never rewrites it), and another learner takes that room. The
// capacity is given back in afterEach, whatever happens.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { expectAccessibleAtBothSizes } from "./a11y";
import { trackSessions } from "./engine";
import { expect, test } from "./fixtures";
import { stopLab } from "./stopLab";

const sessionIdOf = trackSessions();

/** The launcher's embedded PostgreSQL (playwright.config.ts: .data/e2e, port 54349). */
function database(): Client {
  const role = readFileSync(path.resolve(import.meta.dirname, "..", ".data", "e2e", "postgres", "wireroom-role"), "utf8").trim();
  return new Client({ connectionString: `postgresql://${role}:${role}@127.0.0.1:54349/postgres` });
}

let saved: { id: string; capacity: number }[] = [];

async function setCapacities(to: (saved: number) => number): Promise<void> {
  const db = database();
  await db.connect();
  try {
    if (saved.length === 0)
      saved = (await db.query<{ id: string; capacity: number }>(`SELECT "id", "capacity" FROM "Worker"`)).rows;
    for (const worker of saved)
      await db.query(`UPDATE "Worker" SET "capacity" = $1 WHERE "id" = $2`, [to(worker.capacity), worker.id]);
  } finally {
    await db.end();
  }
}

test.afterEach(async () => {
  if (saved.length) await setCapacities((capacity) => capacity);
  saved = [];
});

test("a learner who finds every lab host full waits in line, sees their place, and the lab starts by itself", async ({
  page,
  browser,
}) => {
  test.setTimeout(480_000); // axe twice and two labs' starts, on a machine that may be busy
  // Room for one session of Bridge basics (the session host: one container), taken by another learner.
  await setCapacities(() => 1);
  expect(saved.length, "the launcher's worker is registered").toBeGreaterThan(0);
  const other = await (await browser.newContext()).newPage();
  await other.goto("/");
  await other.getByRole("button", { name: "Start Bridge basics" }).click();
  await sessionIdOf(other);
  // (It may wait a while itself: the earlier specs remove their sessions' containers behind the
  // platform's back (e2e/engine.ts), and their rows count until reconcile ends them: 64 s in one CI
  // run, 137 s in a run here. A learner's own Stop frees the place at once: that is asserted below.)
  await expect(other.getByTestId("session-status")).toHaveAttribute("data-status", "READY", { timeout: 300_000 });

  await page.goto("/");
  await page.getByRole("button", { name: "Start Bridge basics" }).click();
  const sessionId = await sessionIdOf(page);
  const status = page.getByTestId("session-status");
  await expect(status).toHaveAttribute("data-status", "WAITING");
  await expect(page.getByTestId("waiting-line")).toContainText(
    /You are number 1 in line — (about \d+ minutes?|no estimate yet)\./,
  );
  await expect(page.getByTestId("waiting-line")).toContainText("The lab starts by itself");
  await expectAccessibleAtBothSizes(page, `the lab page of ${sessionId} while it waits in line`);

  // Cancel is reachable by keyboard (it opens its confirmation; Escape keeps the place).
  const cancel = page.getByRole("button", { name: /^Cancel waiting for Bridge basics/ });
  await cancel.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: /^Stop waiting for Bridge basics.*\?$/ })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(status).toHaveAttribute("data-status", "WAITING");

  // The other learner stops their lab: the place frees, the worker admits the line, and this page
  // follows with no click.
  await stopLab(other);
  await expect(other.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED");
  await expect(status).toHaveAttribute("data-status", "READY", { timeout: 60_000 });
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await expect(page.getByTestId("waiting-line")).toHaveCount(0);

  await stopLab(page);
  await expect(status).toHaveAttribute("data-status", "STOPPED");
  await other.context().close();
});
