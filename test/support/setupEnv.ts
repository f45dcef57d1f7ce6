import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from "vitest";
import { aloneOnEngine, runsAlone, sharedTurns, TURN_WAIT_MS, turnPerTest } from "./engineTurns";
import { FIXTURE_LABS_DIR } from "./fixtureLabs";
import { createTestDatabase } from "./testDatabase";

process.env.DATABASE_URL = await createTestDatabase(inject("serverUrl"));
process.env.TERMINAL_TOKEN_SECRET = "integration-test-secret-0123456789abcdef";
process.env.BETTER_AUTH_SECRET = "integration-test-auth-secret-0123456789abcdef";
// The infrastructure tests start the fixture labs (test/fixtures/labs/README.md); the curriculum
// test points LABS_DIR at labs/ itself.
process.env.LABS_DIR = FIXTURE_LABS_DIR;

// Timing files run alone; every other test (and a file's set-up) runs in a shared turn
// (test/support/engineTurns.ts).
if (runsAlone(expect.getState().testPath ?? "")) {
  afterAll(await aloneOnEngine());
} else {
  const turns = await sharedTurns();
  turnPerTest(turns);
  // Waiting for a timing file to finish is not the hook's own time (the hook timeout is 60 s).
  beforeAll(() => turns.take(), TURN_WAIT_MS); // the file's own set-up (sessions to provision) is work too
  beforeEach(() => turns.take(), TURN_WAIT_MS);
  afterEach(() => turns.release());
  afterAll(() => turns.close());
}
