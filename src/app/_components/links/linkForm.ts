// The link settings form's values (what the inputs hold, as text) and the spec they make, checked
// with the protocol's rule (src/protocol/linkSpec.ts) so the form says what the server would.
import { linkSpecProblem, type LinkSpec } from "~/protocol/linkSpec";

export type RateUnit = "kbit" | "mbit" | "gbit";
export type LinkFormValues = { delay: string; jitter: string; loss: string; rate: string; rateUnit: RateUnit };

const FACTOR: Record<RateUnit, number> = { kbit: 1, mbit: 1000, gbit: 1_000_000 };

export const EMPTY_FORM: LinkFormValues = { delay: "", jitter: "", loss: "", rate: "", rateUnit: "mbit" };

/** The form showing a spec (a rate in the largest unit that keeps it whole). */
export function formOf(spec: LinkSpec | null | undefined): LinkFormValues {
  if (!spec) return EMPTY_FORM;
  const rate = spec.rateKbit;
  const rateUnit: RateUnit = rate === null || rate % 1000 !== 0 ? "kbit" : rate % 1_000_000 === 0 ? "gbit" : "mbit";
  return {
    delay: spec.delayMs ? String(spec.delayMs) : "",
    jitter: spec.jitterMs ? String(spec.jitterMs) : "",
    loss: spec.lossPct ? String(spec.lossPct) : "",
    rate: rate === null ? "" : String(rate / FACTOR[rateUnit]),
    rateUnit: rate === null ? "mbit" : rateUnit,
  };
}

function number(text: string, what: string): number {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  if (!/^\d+(\.\d+)?$/.test(trimmed)) throw new Error(`${what} must be a number, e.g. ${what === "loss" ? "5" : "200"}`);
  return Number(trimmed);
}

/** The spec the form asks for, or the first problem with it (one line, saying what is accepted). */
export function specOfForm(values: LinkFormValues): { spec: LinkSpec } | { error: string } {
  try {
    const rate = values.rate.trim() === "" ? null : Math.round(number(values.rate, "rate") * FACTOR[values.rateUnit]);
    const spec: LinkSpec = {
      delayMs: number(values.delay, "delay"),
      jitterMs: number(values.jitter, "jitter"),
      lossPct: number(values.loss, "loss"),
      rateKbit: rate,
    };
    const problem = linkSpecProblem(spec);
    return problem ? { error: problem } : { spec };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

type SpecField = "delay" | "jitter" | "loss" | "rate";

/**
 * The inputs an error is about (marked aria-invalid, described by it): the one it names first
 * ("jitter cannot be larger…", the server's words too), the three that could satisfy "give at least
 * one of delay, loss or rate", none for an error about something else (the lab not running, a limit).
 */
export function invalidFields(error: string): SpecField[] {
  if (/^give at least one of delay, loss or rate/.test(error)) return ["delay", "loss", "rate"];
  const named = /^(delay|jitter|loss|rate)\b/.exec(error);
  return named ? [named[1] as SpecField] : [];
}
