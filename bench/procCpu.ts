// CPU time of process trees, from /proc (Linux): a process, its live descendants, and the children
// it has already reaped (cutime/cstime), so a short-lived child (a PostgreSQL backend that exits
// mid-window) is still counted once it ends. Sampled before and after a window, the difference is
// the CPU the tree spent in it.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

export type Stat = { pid: number; comm: string; ppid: number; own: number; reaped: number };

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // it ended meanwhile
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after its last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const comm = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
  const at = (field: number) => Number(fields[field - 3]);
  return { pid, comm, ppid: at(4), own: at(14) + at(15), reaped: at(16) + at(17) };
}

/** Every process's stat now (CPU in clock ticks: TICKS_PER_SECOND). */
export function allStats(): Stat[] {
  const stats: Stat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** Per process of the tree rooted at `rootPid`, the CPU seconds it has used (the root's reaped children included). */
export function sampleTree(rootPid: number): Map<number, number> {
  const stats = allStats();
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const root = stats.find((s) => s.pid === rootPid);
  const sample = new Map<number, number>();
  if (!root) return sample;
  const visit = (s: Stat) => {
    // A process's reaped children are counted with it: they no longer appear in the tree.
    sample.set(s.pid, (s.own + s.reaped) / TICKS_PER_SECOND);
    for (const child of children.get(s.pid) ?? []) visit(child);
  };
  visit(root);
  return sample;
}

export const treeSeconds = (sample: Map<number, number>) => [...sample.values()].reduce((a, b) => a + b, 0);

/**
 * CPU seconds per process between two samples of one tree. A process that ended between them is
 * counted in its parent's reaped time instead (its share before the first sample is subtracted).
 */
export function cpuBetween(
  before: Map<number, number>,
  after: Map<number, number>,
): { total: number; perPid: Map<number, number> } {
  const perPid = new Map<number, number>();
  for (const [pid, seconds] of after) perPid.set(pid, seconds - (before.get(pid) ?? 0));
  return { total: treeSeconds(after) - treeSeconds(before), perPid };
}

/** The whole machine's CPU time so far (/proc/stat), busy and total, in seconds of all cores. */
export function sampleMachine(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const values = ticks.map(Number);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0); // user … steal (guest time is inside user)
  const idle = values[3]! + values[4]!; // idle + iowait
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}
