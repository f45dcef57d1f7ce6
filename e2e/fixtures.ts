// The specs' `test`: Playwright's, plus one allowance for the test bed. Chromium runs on the same
// machine as the Docker engine, and when the engine adds or removes a lab's interfaces (another
// test's teardown), Chromium can abort an in-flight load with ERR_NETWORK_CHANGED (it watches the
// host's addresses); a page whose script never loaded stays unhydrated. A learner's browser never
// runs beside the engine, so a page whose document, script or stylesheet load failed that way is
// reloaded (at most 3 times), with a line in the output; so is one whose identity check
// (/api/auth/get-session) failed that way, which leaves the page at "Could not sign you in". Every
// other failure still fails the test.
import { test as base, type Browser, type BrowserContext } from "@playwright/test";

const RELOADABLE = new Set(["document", "script", "stylesheet"]);
const MAX_RELOADS = 3;

const watched = new WeakSet<BrowserContext>();

function reloadOnNetworkChange(context: BrowserContext): void {
  if (watched.has(context)) return;
  watched.add(context);
  const reloads = new WeakMap<object, number>();
  context.on("requestfailed", (request) => {
    if (!request.failure()?.errorText.includes("ERR_NETWORK_CHANGED")) return;
    if (!RELOADABLE.has(request.resourceType()) && !request.url().includes("/api/auth/get-session")) return;
    const page = request.frame().page();
    const done = reloads.get(page) ?? 0;
    if (done >= MAX_RELOADS) return;
    reloads.set(page, done + 1);
    console.warn(`[e2e] ${request.url()} failed with ERR_NETWORK_CHANGED (the engine changed interfaces): reloading the page`);
    page.reload().catch(() => {}); // the page may be closing; the test's own waits decide
  });
}

export const test = base.extend<object, { browser: Browser }>({
  browser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const context = await newContext(options);
        reloadOnNetworkChange(context);
        return context;
      };
      await use(browser);
    },
    { scope: "worker" },
  ],
  context: async ({ context }, use) => {
    reloadOnNetworkChange(context);
    await use(context);
  },
});

export { expect, type Page } from "@playwright/test";
