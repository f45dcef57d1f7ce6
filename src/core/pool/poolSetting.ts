// SESSION_POOL: how many ready sessions each lab keeps in its pool, e.g. "bridge-basics=2,dns=1"
// (slug=size, comma-separated; empty or unset: no pool). Read by the worker, which refills the pools.
import { z } from "zod";

export const POOL_SIZE_MAX = 50;
const EXAMPLE = "bridge-basics=2,dns=1";

/** Each lab's pool size, by slug (labs not named have none). */
export type PoolSizes = ReadonlyMap<string, number>;

/** Reads the setting; a malformed entry throws one line naming it and what is accepted. */
export function parsePoolSizes(text: string): PoolSizes {
  const sizes = new Map<string, number>();
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const match = /^([a-z0-9][a-z0-9-]*)\s*=\s*(\d+)$/.exec(entry);
    if (!match) throw new Error(`"${entry}" is not slug=size: write each lab's pool as slug=size, e.g. ${EXAMPLE}`);
    const [, slug, digits] = match as unknown as [string, string, string];
    const size = Number(digits);
    if (size > POOL_SIZE_MAX) throw new Error(`"${entry}": a pool's size must be from 0 to ${POOL_SIZE_MAX}`);
    if (sizes.has(slug)) throw new Error(`"${slug}" is named twice: give each lab one size, e.g. ${EXAMPLE}`);
    sizes.set(slug, size);
  }
  return sizes;
}

/** Every slug must be a lab of the catalog; otherwise throws naming it and the labs there are. */
export function checkPoolLabs(sizes: PoolSizes, labSlugs: readonly string[]): void {
  const unknown = [...sizes.keys()].filter((slug) => !labSlugs.includes(slug));
  if (unknown.length)
    throw new Error(
      `SESSION_POOL names ${unknown.map((s) => `"${s}"`).join(", ")}, which ${unknown.length > 1 ? "are not labs" : "is not a lab"}. Labs: ${labSlugs.join(", ")}.`,
    );
}

/** The setting in a zod schema (worker/config.ts): a malformed value fails the start with its message. */
export const sessionPoolSchema = z
  .string()
  .default("")
  .transform((text, ctx) => {
    try {
      return parsePoolSizes(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `SESSION_POOL: ${(error as Error).message}` });
      return z.NEVER;
    }
  });
