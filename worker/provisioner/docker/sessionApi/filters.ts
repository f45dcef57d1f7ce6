// A listing's `filters` query: the learner's own filters, with the session's labels added. The
// engine ANDs label filters, so nothing the learner adds can widen the listing.
import { badRequest } from "./apiError";

/** Docker's two spellings ({"k":["v"]} and {"k":{"v":true}}) read into one. */
export type Filters = Record<string, string[]>;

export function parseFilters(raw: string | null): Filters {
  if (raw === null || raw === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest("filters must be JSON, as the docker CLI sends them (--filter key=value)");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRequest("filters must be a JSON object");
  const out: Filters = {};
  for (const [key, value] of Object.entries(parsed)) {
    const values = Array.isArray(value) ? value : typeof value === "object" && value !== null ? Object.keys(value) : undefined;
    if (!values || !values.every((v): v is string => typeof v === "string"))
      throw badRequest(`filter ${key} must be a list of strings`);
    if (values.length > 16) throw badRequest(`at most 16 values per filter (${key})`);
    out[key] = values;
  }
  return out;
}

/** The learner's filters plus the required labels (which they cannot remove: labels are ANDed). */
export function withLabels(filters: Filters, labels: string[]): Filters {
  return { ...filters, label: [...(filters.label ?? []), ...labels] };
}

/** Docker's map form, which every API version accepts. */
export function encodeFilters(filters: Filters): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(filters).map(([k, vs]) => [k, Object.fromEntries(vs.map((v) => [v, true]))])),
  );
}
