import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.TERMINAL_TOKEN_SECRET = "integration-test-secret-0123456789abcdef";
process.env.BETTER_AUTH_SECRET = "integration-test-auth-secret-0123456789abcdef";
