// Which terminal tab is shown, and what to announce when the session's containers come and go
// (pure, beside the session page; the page's tabs follow the pushed session view).

/** The tab to show: the chosen one while it exists (then the session host, first), else the lab's default while it exists, else the host. */
export function selectedTerminal(
  chosen: string | null,
  defaultTerminal: string | null,
  terminals: readonly string[],
): string | null {
  if (terminals.length === 0) return chosen ?? defaultTerminal; // the lab is unknown: as before
  if (chosen !== null) return terminals.includes(chosen) ? chosen : (terminals[0] ?? null); // removed: the host
  if (defaultTerminal !== null && terminals.includes(defaultTerminal)) return defaultTerminal;
  return terminals[0] ?? null;
}

/** "busybox1 added", "busybox2 removed" (joined), or "" when nothing changed or nothing was shown before. */
export function tabChanges(before: readonly string[], after: readonly string[]): string {
  if (before.length === 0) return "";
  const added = after.filter((name) => !before.includes(name)).map((name) => `${name} added`);
  const removed = before.filter((name) => !after.includes(name)).map((name) => `${name} removed`);
  return [...added, ...removed].join(", ");
}
