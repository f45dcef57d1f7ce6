// The order labs are listed in: the tutorial's (../shared/seed). A lesson comes at the first
// observation it covers (ties: the one that ends sooner); a review covering all twelve after the
// lessons; playgrounds (no steps, nothing graded) last.
import { OBSERVATIONS, type Lab } from "./schema";

function key(lab: Pick<Lab, "slug" | "covers" | "steps">): [number, number, number, string] {
  const at = lab.covers.map((s) => OBSERVATIONS.indexOf(s)).filter((i) => i >= 0);
  const group = lab.steps.length === 0 ? 2 : at.length === OBSERVATIONS.length ? 1 : 0;
  return [group, at.length ? Math.min(...at) : OBSERVATIONS.length, at.length ? Math.max(...at) : OBSERVATIONS.length, lab.slug];
}

/** The labs in the seed's order (a new array). */
export function inSeedOrder<T extends Pick<Lab, "slug" | "covers" | "steps">>(labs: readonly T[]): T[] {
  return [...labs].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return x[3] < y[3] ? -1 : x[3] > y[3] ? 1 : 0;
  });
}
