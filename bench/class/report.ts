// A step's figures from its learners, the targets each N meets, and the first N at which each breaks.
import { percentile } from "../stats";
import type { LearnerResult } from "./learner";
import type { Usage } from "./resources";

export type Percentiles = { n: number; p50: number; p95: number; p99: number } | null;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentiles(values: number[]): Percentiles {
  if (!values.length) return null;
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
  };
}

export type StepFigures = {
  learners: number;
  rawCli: Percentiles;
  clickToPrompt: { cold: Percentiles; pool: Percentiles; waited: Percentiles };
  /** p50 of each phase of click-to-prompt (ms from the click), by how the start went. */
  clickToPromptPhasesP50: Record<string, Record<string, number>>;
  waited: { learners: number; waitMs: Percentiles };
  echo: { gateway: Percentiles; raw: Percentiles; p50OverRawMs: number | null; p50Ratio: number | null };
  check: Percentiles;
  checkPassed: number;
  submit: Percentiles;
  errors: Record<string, number>;
  errorSamples: string[];
  resources: { seconds: number; machineBusyCores: number; groups: Record<string, Usage> };
  targets: Record<string, boolean | null>;
};

export const TARGETS = {
  echo: "echo p50 ≤ raw + 1 ms",
  cold: "click-to-prompt cold p50 ≤ 1.2× raw CLI p50",
  pool: "click-to-prompt from the pool p50 ≤ 150 ms",
  check: "check p95 ≤ 300 ms (1 learner) / ≤ 1 s (20+)",
  errors: "errors 0",
} as const;

function phasesP50(results: LearnerResult[]): StepFigures["clickToPromptPhasesP50"] {
  const byStart: StepFigures["clickToPromptPhasesP50"] = {};
  for (const start of ["cold", "pool", "waited"] as const) {
    const phases = results.filter((r) => r.start === start && r.phases).map((r) => r.phases!);
    if (!phases.length) continue;
    const keys = Object.keys(phases[0]!) as (keyof (typeof phases)[0])[];
    byStart[start] = Object.fromEntries(
      keys.map((k) => [
        k,
        round(
          percentile(
            phases.map((p) => p[k]),
            50,
          ),
        ),
      ]),
    );
  }
  return byStart;
}

export function stepFigures(
  learners: number,
  results: LearnerResult[],
  rawCliMs: number[],
  resources: StepFigures["resources"],
): StepFigures {
  const ctp = (start: LearnerResult["start"]) =>
    percentiles(results.filter((r) => r.start === start && r.clickToPromptMs !== undefined).map((r) => r.clickToPromptMs!));
  const gateway = percentiles(results.flatMap((r) => r.echoGatewayMs));
  const raw = percentiles(results.flatMap((r) => r.echoRawMs));
  const errors: Record<string, number> = {};
  for (const e of results.flatMap((r) => r.errors)) errors[e.kind] = (errors[e.kind] ?? 0) + 1;
  const figures: StepFigures = {
    learners,
    rawCli: percentiles(rawCliMs),
    clickToPrompt: { cold: ctp("cold"), pool: ctp("pool"), waited: ctp("waited") },
    clickToPromptPhasesP50: phasesP50(results),
    waited: {
      learners: results.filter((r) => r.waitedMs !== undefined).length,
      waitMs: percentiles(results.flatMap((r) => (r.waitedMs === undefined ? [] : [r.waitedMs]))),
    },
    echo: {
      gateway,
      raw,
      p50OverRawMs: gateway && raw ? round(gateway.p50 - raw.p50, 2) : null,
      p50Ratio: gateway && raw ? round(gateway.p50 / raw.p50, 2) : null,
    },
    check: percentiles(results.flatMap((r) => (r.checkMs === undefined ? [] : [r.checkMs]))),
    checkPassed: results.filter((r) => r.checkStatus === "passed").length,
    submit: percentiles(results.flatMap((r) => (r.submitMs === undefined ? [] : [r.submitMs]))),
    errors,
    errorSamples: [...new Map(results.flatMap((r) => r.errors).map((e) => [e.kind, e.message])).values()].slice(0, 5),
    resources,
    targets: {},
  };
  const { cold, pool } = figures.clickToPrompt;
  figures.targets = {
    echo: gateway && raw ? gateway.p50 <= raw.p50 + 1 : null,
    cold: cold && figures.rawCli ? cold.p50 <= 1.2 * figures.rawCli.p50 : null,
    pool: pool ? pool.p50 <= 150 : null,
    check: figures.check ? figures.check.p95 <= (learners < 20 ? 300 : 1000) : null,
    errors: Object.keys(errors).length === 0,
  };
  return figures;
}

/** Per target, the first N it failed at (null: held at every N measured; "not measured": no N measured it). */
export function breakingPoints(steps: StepFigures[]): Record<string, number | null | "not measured"> {
  return Object.fromEntries(
    Object.keys(TARGETS).map((key) => {
      const measured = steps.filter((s) => s.targets[key] !== null);
      if (!measured.length) return [key, "not measured"];
      return [key, measured.find((s) => s.targets[key] === false)?.learners ?? null];
    }),
  );
}

const cell = (p: Percentiles) => (p ? `${p.p50}/${p.p95}/${p.p99}` : "-");
const mark = (ok: boolean | null | undefined) => (ok === null || ok === undefined ? "" : ok ? " ok" : " MISS");

/** The machine's busy cores that none of the measured processes (nor the load generator) used: what else ran. */
export function otherCores(step: StepFigures): number {
  const ours = Object.values(step.resources.groups).reduce((sum, u) => sum + u.cores, 0);
  return round(Math.max(0, step.resources.machineBusyCores - ours), 2);
}

/** The rows of the latency table and of the resources table. */
export function tableRows(steps: StepFigures[]) {
  const latency = steps.map((s) => ({
    N: s.learners,
    "raw CLI ms p50/95/99": cell(s.rawCli),
    "cold ctp ms": cell(s.clickToPrompt.cold) + mark(s.targets.cold),
    "pool ctp ms": cell(s.clickToPrompt.pool) + mark(s.targets.pool),
    "waited (n, wait p50/95 s)": s.waited.learners
      ? `${s.waited.learners}, ${round(s.waited.waitMs!.p50 / 1000)}/${round(s.waited.waitMs!.p95 / 1000)}`
      : "0",
    "echo gw ms": cell(s.echo.gateway) + mark(s.targets.echo),
    "echo raw ms": cell(s.echo.raw),
    "gw-raw p50": s.echo.p50OverRawMs ?? "-",
    "check ms": cell(s.check) + mark(s.targets.check),
    "submit ms": cell(s.submit),
    errors:
      Object.entries(s.errors)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; ") || "0",
  }));
  const resources = steps.map((s) => {
    const row: Record<string, string | number> = {
      N: s.learners,
      "window s": s.resources.seconds,
      "machine busy cores": s.resources.machineBusyCores,
    };
    for (const [name, u] of Object.entries(s.resources.groups)) row[`${name} cores / peak MB`] = `${u.cores} / ${u.peakRssMB}`;
    row["others' cores"] = otherCores(s);
    return row;
  });
  const phases = steps.flatMap((s) =>
    Object.entries(s.clickToPromptPhasesP50).map(([start, p]) => ({ N: s.learners, start, ...p })),
  );
  return { latency, resources, phases };
}
