import path from "node:path";

/** The labs the infrastructure tests and benchmarks start (test/fixtures/labs/README.md). */
export const FIXTURE_LABS_DIR = path.resolve(import.meta.dirname, "../fixtures/labs");
