// What the end-to-end tests see of the engine: read through the worker's own Docker adapter
// (dockerode lives only there), and every session a test file opens is removed afterwards, even
// when a test fails half-way.
import { test, type Page } from "@playwright/test";
import { engine } from "../test/support/engine";

export { engine }; // reads and removes only

/** Call at the top of a spec file: returns `sessionIdOf(page)`, which waits for a session page and tracks it. */
export function trackSessions() {
  const sessions: string[] = [];
  test.afterAll(async () => {
    for (const id of sessions) await engine.teardown(id);
  });
  return async function sessionIdOf(page: Page): Promise<string> {
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    const id = page.url().split("/").pop()!;
    sessions.push(id);
    return id;
  };
}
