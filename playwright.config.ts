import { defineConfig } from "@playwright/test";

const webPort = 3100;
const workerPort = 3101;

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${webPort}`,
    trace: "retain-on-failure",
    // Debian's Chromium: no browser is ever downloaded.
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    // The same launcher as scripts/up.sh, on its own ports and a fresh database (needs `next build`).
    command: "node_modules/.bin/tsx scripts/platform.ts",
    url: `http://127.0.0.1:${webPort}/`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      WIREROOM_DATA_DIR: ".data/e2e",
      WIREROOM_FRESH_DATABASE: "1",
      WIREROOM_PG_PORT: "54349",
      PORT: String(webPort),
      WORKER_PORT: String(workerPort),
      WORKER_PUBLIC_URL: `http://127.0.0.1:${workerPort}`,
    },
  },
});
