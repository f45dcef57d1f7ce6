// The compose test alone (scripts/test.sh runs it after the integration tests): it brings the whole
// stack up with docker compose, so it is in neither the unit nor the integration project.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  root,
  resolve: { alias: { "~": path.join(root, "src") } },
  test: {
    include: ["test/compose/**/*.compose.test.ts"],
    environment: "node",
    testTimeout: 300_000,
    hookTimeout: 1_800_000,
  },
});
