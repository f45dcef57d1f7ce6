import { z } from "zod";

const paramsSchema = z.object({ token: z.string() });

/** A session's lab parameters (older rows have none: a fixed token keeps them working). */
export function sessionParams(value: unknown): { token: string } {
  return paramsSchema.safeParse(value).data ?? { token: "wireroom" };
}
