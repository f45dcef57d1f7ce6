import { afterAll, expect, inject } from "vitest";
import { aloneOnEngine, runsAlone } from "./engineTurns";
import { createTestDatabase } from "./testDatabase";

process.env.DATABASE_URL = await createTestDatabase(inject("serverUrl"));
process.env.TERMINAL_TOKEN_SECRET = "integration-test-secret-0123456789abcdef";
process.env.BETTER_AUTH_SECRET = "integration-test-auth-secret-0123456789abcdef";

if (runsAlone(expect.getState().testPath ?? "")) afterAll(await aloneOnEngine());
