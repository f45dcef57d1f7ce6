// Settings read from the environment, validated with zod so a missing or wrong one fails early
// with its name and what is accepted. Web and worker each pick the fields they need.
import { z } from "zod";

export const sharedEnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set: point it at PostgreSQL (scripts/up.sh sets it to an embedded one)" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL"),
  TERMINAL_TOKEN_SECRET: z
    .string({ error: "TERMINAL_TOKEN_SECRET is not set: use the same random value (32+ characters) for web and worker" })
    .min(32, "TERMINAL_TOKEN_SECRET must be at least 32 characters"),
});

/** Comma-separated browser origins of the web (its public URL first): who may sign in and open terminals. */
export const webOriginsSchema = z
  .string()
  .default("http://localhost:3000,http://127.0.0.1:3000")
  .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean));

export function parseEnv<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
