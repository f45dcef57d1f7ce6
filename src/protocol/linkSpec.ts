// A link impairment (issue 15): delay, jitter, loss and rate on one interface of a session's
// container, egress only. The one definition of its bounds, its words (`link set … delay 200ms
// loss 5%`, the page's form) and its wording. Browser-safe (zod only).
import { z } from "zod";

/** maxInterfaces: impaired interfaces a session may have (each is a helper container on the engine). */
export const LINK_LIMITS = { maxDelayMs: 5000, minRateKbit: 8, maxRateKbit: 1_000_000, maxInterfaces: 8 } as const;

/** rateKbit null: no rate limit. */
export type LinkSpec = { delayMs: number; jitterMs: number; lossPct: number; rateKbit: number | null };

/** Where an interface's impairment comes from: the session's own setting, or its class's instructor. */
export type LinkSource = "session" | "class";

/** One impaired interface as the page shows it (the topology's badge, the form's current values). */
export type LinkView = { container: string; iface: string; spec: LinkSpec; source: LinkSource };

const ACCEPTED = `accepted: delay 0-${LINK_LIMITS.maxDelayMs}ms, jitter 0-delay, loss 0-100%, rate 8kbit-1gbit or none`;

export const linkSpecSchema = z
  .object({
    delayMs: z
      .number()
      .int(`delay is a whole number of milliseconds (${ACCEPTED})`)
      .min(0, `delay cannot be negative (${ACCEPTED})`)
      .max(LINK_LIMITS.maxDelayMs, `delay is at most ${LINK_LIMITS.maxDelayMs}ms (${ACCEPTED})`),
    jitterMs: z
      .number()
      .int(`jitter is a whole number of milliseconds (${ACCEPTED})`)
      .min(0, `jitter cannot be negative (${ACCEPTED})`),
    lossPct: z
      .number()
      .min(0, `loss cannot be negative (${ACCEPTED})`)
      .max(100, `loss is at most 100% (${ACCEPTED})`)
      // Within a tolerance: 1.1 * 100 is 110.00000000000001 in floating point, yet 1.1 has two decimals.
      .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, `loss has at most two decimals, e.g. 0.5% (${ACCEPTED})`),
    rateKbit: z
      .number()
      .int(`rate is a whole number of kbit/s (${ACCEPTED})`)
      .min(LINK_LIMITS.minRateKbit, `rate is at least 8kbit (${ACCEPTED})`)
      .max(LINK_LIMITS.maxRateKbit, `rate is at most 1gbit (${ACCEPTED})`)
      .nullable(),
  })
  .refine((s) => s.jitterMs <= s.delayMs, {
    message: `jitter cannot be larger than the delay (${ACCEPTED})`,
    path: ["jitterMs"],
  })
  .refine((s) => s.delayMs > 0 || s.lossPct > 0 || s.rateKbit !== null, {
    message: `give at least one of delay, loss or rate (to remove an impairment, clear it; ${ACCEPTED})`,
  });

/** The first problem of a spec, in one line, or undefined when it is valid. */
export function linkSpecProblem(spec: LinkSpec): string | undefined {
  const parsed = linkSpecSchema.safeParse(spec);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

export class LinkWordsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LinkWordsError";
  }
}

const NUMBER = "(\\d+(?:\\.\\d+)?)";
const DURATION = new RegExp(`^${NUMBER}(ms|s)?$`, "i");
const PERCENT = new RegExp(`^${NUMBER}%?$`);
const RATE = new RegExp(`^${NUMBER}(kbit|mbit|gbit)?$`, "i");
const RATE_FACTOR: Record<string, number> = { kbit: 1, mbit: 1000, gbit: 1_000_000 };

function duration(key: string, text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new LinkWordsError(`${key} "${text}" is not a duration: write e.g. ${key} 200ms or ${key} 0.2s (${ACCEPTED})`);
  const ms = Number(m[1]) * ((m[2] ?? "ms").toLowerCase() === "s" ? 1000 : 1);
  if (!Number.isInteger(ms)) throw new LinkWordsError(`${key} is a whole number of milliseconds, got ${text} (${ACCEPTED})`);
  return ms;
}

function rate(text: string): number | null {
  if (text.toLowerCase() === "none") return null;
  const m = RATE.exec(text);
  if (!m)
    throw new LinkWordsError(`rate "${text}" is not a rate: write e.g. rate 1mbit, rate 512kbit or rate none (${ACCEPTED})`);
  const kbit = Number(m[1]) * RATE_FACTOR[(m[2] ?? "kbit").toLowerCase()]!;
  if (!Number.isInteger(kbit)) throw new LinkWordsError(`rate is a whole number of kbit/s, got ${text} (${ACCEPTED})`);
  return kbit;
}

/**
 * Reads `delay 200ms jitter 20ms loss 5% rate 1mbit` (any order, each at most once; what is left
 * out is 0 / none) into a valid spec; a LinkWordsError says what was wrong and what is accepted.
 */
export function parseLinkWords(words: string[]): LinkSpec {
  const spec: LinkSpec = { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: null };
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i += 2) {
    const key = words[i]!.toLowerCase();
    const value = words[i + 1];
    if (!["delay", "jitter", "loss", "rate"].includes(key))
      throw new LinkWordsError(`unknown setting "${words[i]}": use delay, jitter, loss or rate (${ACCEPTED})`);
    if (value === undefined) throw new LinkWordsError(`${key} needs a value, e.g. ${EXAMPLE[key]}`);
    if (seen.has(key)) throw new LinkWordsError(`${key} is given twice: give each setting once`);
    seen.add(key);
    if (key === "delay") spec.delayMs = duration(key, value);
    else if (key === "jitter") spec.jitterMs = duration(key, value);
    else if (key === "rate") spec.rateKbit = rate(value);
    else {
      const m = PERCENT.exec(value);
      if (!m) throw new LinkWordsError(`loss "${value}" is not a percentage: write e.g. loss 5% (${ACCEPTED})`);
      spec.lossPct = Number(m[1]);
    }
  }
  const problem = linkSpecProblem(spec);
  if (problem) throw new LinkWordsError(problem);
  return spec;
}

const EXAMPLE: Record<string, string> = { delay: "delay 200ms", jitter: "jitter 20ms", loss: "loss 5%", rate: "rate 1mbit" };

export function formatRate(kbit: number): string {
  if (kbit % 1_000_000 === 0) return `${kbit / 1_000_000}gbit`;
  if (kbit % 1000 === 0) return `${kbit / 1000}mbit`;
  return `${kbit}kbit`;
}

/** "delay 200ms jitter 20ms loss 5% rate 1mbit", leaving out what is 0 or none. */
export function formatLinkSpec(spec: LinkSpec): string {
  const parts: string[] = [];
  if (spec.delayMs > 0) parts.push(`delay ${spec.delayMs}ms`);
  if (spec.jitterMs > 0) parts.push(`jitter ${spec.jitterMs}ms`);
  if (spec.lossPct > 0) parts.push(`loss ${spec.lossPct}%`);
  if (spec.rateKbit !== null) parts.push(`rate ${formatRate(spec.rateKbit)}`);
  return parts.length ? parts.join(" ") : "no impairment";
}

export function sameLinkSpec(a: LinkSpec, b: LinkSpec): boolean {
  return a.delayMs === b.delayMs && a.jitterMs === b.jitterMs && a.lossPct === b.lossPct && a.rateKbit === b.rateKbit;
}
