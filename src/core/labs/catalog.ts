// The lab catalog: every labs/<slug>/lab.yaml, validated once per process, in the seed's order
// (seedOrder.ts). A broken file is reported (file, field, what is wrong) and left out; the other
// labs are still served.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { Lab } from "~/core/labs/schema";
import { labsDir } from "~/core/settings";
import { inSeedOrder } from "./seedOrder";
import { validateLabFile, type LabProblem } from "./validate";
import { logger } from "~/core/log";

const log = logger.child({ component: "labs" });

export type Catalog = { labs: Lab[]; problems: LabProblem[] };

export function loadCatalog(dir: string): Catalog {
  const labs: Lab[] = [];
  const problems: LabProblem[] = [];
  if (!existsSync(dir)) return { labs, problems: [{ file: dir, path: "(folder)", message: "the labs folder does not exist" }] };
  for (const slug of readdirSync(dir).sort()) {
    const file = path.join(dir, slug, "lab.yaml");
    if (!existsSync(file)) continue;
    const result = validateLabFile(path.relative(process.cwd(), file), readFileSync(file, "utf8"), slug);
    if (result.lab) labs.push(result.lab);
    problems.push(...result.problems);
  }
  return { labs: inSeedOrder(labs), problems };
}

let cached: Catalog | undefined;

/** The catalog of this installation (LABS_DIR, default ./labs); problems are logged once. */
export function catalog(): Catalog {
  if (!cached) {
    cached = loadCatalog(labsDir());
    for (const p of cached.problems) log.error({ file: p.file, path: p.path }, `lab left out: ${p.file}: ${p.path}: ${p.message}`);
  }
  return cached;
}

/**
 * Reads LABS_DIR again on next use. The catalog is read once per process; tests that edit lab files
 * call this to see the edit (running sessions keep their stored lab: sessionLab.ts).
 */
export function reloadCatalog(): void {
  cached = undefined;
}

export function findLab(slug: string): Lab | undefined {
  return catalog().labs.find((lab) => lab.slug === slug);
}
