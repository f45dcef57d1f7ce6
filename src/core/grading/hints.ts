// A check's hints unlock one failure at a time: hints[0] after its first failed Check, hints[1]
// (more specific) after the second. A locked hint never leaves the server.

/** The hints `failures` failed Checks have unlocked, in order. */
export function unlockedHints(hints: readonly string[], failures: number): string[] {
  return hints.slice(0, Math.max(0, Math.floor(failures)));
}
