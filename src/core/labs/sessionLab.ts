// The lab a session runs: the validated spec stored on its row at start (LabSession.lab), with the
// sha256 of its canonical JSON (labHash). Every reader in both processes goes through labOfSession,
// so a lab file edited or removed while a session runs does not change that session.
import { createHash } from "node:crypto";
import { z } from "zod";
import { findLab } from "./catalog";
import { labSchema, type Lab } from "./schema";

/** JSON with object keys sorted at every depth: the same lab always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function labHashOf(lab: unknown): string {
  return createHash("sha256").update(canonicalJson(lab)).digest("hex");
}

/** What startSession writes on the row. */
export function sessionLabColumns(lab: Lab): { lab: Lab; labHash: string } {
  return { lab, labHash: labHashOf(lab) };
}

export class SessionLabError extends Error {
  constructor(sessionId: string, problem: string) {
    super(`session ${sessionId} has a malformed stored lab: ${problem}`);
    this.name = "SessionLabError";
  }
}

type SessionLabRow = { id: string; labSlug: string; lab: unknown; labHash: string | null };

// Parsing a lab compiles its patterns: keep the few labs in use, by content hash.
const parsed = new Map<string, Lab>();
const MAX_PARSED = 64;

/**
 * The lab this session started with. A row whose stored lab does not parse, or does not match its
 * hash, is an error naming the session, never a silent fallback. Rows written before the lab was
 * stored (migration 20261128120000_session_lab) have none: they get the catalog's lab of that slug,
 * as every reader did then, or undefined when it is no longer offered.
 */
export function labOfSession(row: SessionLabRow): Lab | undefined {
  if (row.lab === null || row.lab === undefined) {
    if (row.labHash !== null) throw new SessionLabError(row.id, "it has a labHash but no lab");
    return findLab(row.labSlug);
  }
  if (row.labHash === null) throw new SessionLabError(row.id, "it has a lab but no labHash");
  const hash = labHashOf(row.lab);
  if (hash !== row.labHash) throw new SessionLabError(row.id, `its content hashes to ${hash}, not the stored ${row.labHash}`);
  const known = parsed.get(hash);
  if (known) return known;
  const result = labSchema.safeParse(upgradeStoredLab(row.lab));
  if (!result.success) throw new SessionLabError(row.id, z.prettifyError(result.error));
  if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
  parsed.set(hash, result.data);
  return result.data;
}

/** Said as the solution of a step stored before steps had one. */
export const NO_STORED_SOLUTION = "This session started before the lab had solutions: start the lab again to see one.";

/**
 * A lab stored by an older version, in today's shape: before issue 11 a lab had a lab-wide `solve`
 * script (tests only) and steps had no `solution`. The stored content (and its hash) stays as it is.
 */
function upgradeStoredLab(lab: unknown): unknown {
  if (!lab || typeof lab !== "object" || Array.isArray(lab)) return lab;
  const { solve: _solve, ...rest } = lab as Record<string, unknown>;
  if (!Array.isArray(rest.steps)) return rest;
  const steps: unknown[] = rest.steps;
  return {
    ...rest,
    steps: steps.map((step) =>
      step && typeof step === "object" && !("solution" in step) ? { ...step, solution: NO_STORED_SOLUTION } : step,
    ),
  };
}

/** The session's lab, for readers that cannot go on without one (an error that names the session). */
export function requireLabOfSession(row: SessionLabRow): Lab {
  const lab = labOfSession(row);
  if (!lab) throw new SessionLabError(row.id, `it predates stored labs and the lab "${row.labSlug}" is no longer offered`);
  return lab;
}
