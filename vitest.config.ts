import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "~": path.resolve(import.meta.dirname, "src"),
  // Tests load the web's server modules in plain Node; Next resolves the marker to its empty
  // react-server build, and so do the tests (anywhere else it throws, as it should).
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: [
            "src/**/*.test.ts",
            "worker/**/*.test.ts",
            "scripts/**/*.test.ts",
            "test/support/**/*.test.ts",
            "test/contract/**/*.test.ts",
            "test/lint/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
          environment: "node",
          // Unit files share their workers (no module state of one leaks into another's asserts:
          // they use no database, engine or process-wide singleton), which halves the project's time.
          isolate: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["**/node_modules/**", ".tools/**"],
          environment: "node",
          globalSetup: ["test/support/globalSetup.ts"],
          setupFiles: ["test/support/setupEnv.ts"],
          // Every file has a database of its own (test/support/setupEnv.ts), so its worker takes only
          // its own jobs: files run side by side, those that time a neighbour under attack alone
          // (test/support/engineTurns.ts).
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
