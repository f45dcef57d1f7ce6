// CPU and memory of the platform's processes during a step, from /proc: the web, each worker,
// PostgreSQL (each a process tree, reaped children included) and the engine (dockerd, containerd
// and every containerd-shim, whoever their parent: the shims are the containers' keepers). RSS is
// sampled each second; the peak is kept. The engine is shared with whatever else runs on the machine.
import { readFileSync } from "node:fs";
import os from "node:os";
import { allStats, sampleMachine, TICKS_PER_SECOND, type Stat } from "../procCpu";

const PAGE_BYTES = 4096;

export type Group = { name: string; roots: number[]; comm?: RegExp };

function rssBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE_BYTES;
  } catch {
    return 0; // it ended meanwhile
  }
}

/** Each group's processes now: the trees under its roots and the processes whose name matches. */
function members(groups: Group[], stats: Stat[]): Map<string, Stat[]> {
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const result = new Map<string, Stat[]>();
  for (const group of groups) {
    const found = new Map<number, Stat>();
    const visit = (s: Stat) => {
      if (found.has(s.pid)) return;
      found.set(s.pid, s);
      for (const child of children.get(s.pid) ?? []) visit(child);
    };
    for (const root of group.roots) {
      const s = byPid.get(root);
      if (s) visit(s);
    }
    if (group.comm) for (const s of stats) if (group.comm.test(s.comm)) visit(s);
    result.set(group.name, [...found.values()]);
  }
  return result;
}

export type Usage = { cpuSeconds: number; cores: number; peakRssMB: number; endRssMB: number };

/** Samples until `stop()`, which returns each group's CPU (seconds and cores over the window) and RSS. */
export function sampleResources(groups: Group[], everyMs = 1000) {
  const cpuOf = (list: Stat[]) => new Map(list.map((s) => [s.pid, (s.own + s.reaped) / TICKS_PER_SECOND]));
  const first = members(groups, allStats());
  const startCpu = new Map([...first].map(([name, list]) => [name, cpuOf(list)]));
  const machineStart = sampleMachine();
  const started = performance.now();
  const peak = new Map<string, number>();
  const sample = () => {
    const now = members(groups, allStats());
    for (const [name, list] of now) {
      const rss = list.reduce((sum, s) => sum + rssBytes(s.pid), 0);
      peak.set(name, Math.max(peak.get(name) ?? 0, rss));
    }
    return now;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop(): { groups: Record<string, Usage>; machineBusyCores: number; seconds: number } {
      clearInterval(timer);
      const end = sample();
      const seconds = (performance.now() - started) / 1000;
      const result: Record<string, Usage> = {};
      for (const [name, list] of end) {
        const before = startCpu.get(name)!;
        // A process that ended meanwhile is lost unless a member reaped it; one that began counts whole.
        let cpu = 0;
        for (const [pid, secs] of cpuOf(list)) cpu += secs - (before.get(pid) ?? 0);
        const endRss = list.reduce((sum, s) => sum + rssBytes(s.pid), 0);
        result[name] = {
          cpuSeconds: round(Math.max(0, cpu)),
          cores: round(Math.max(0, cpu) / seconds, 2),
          peakRssMB: round((peak.get(name) ?? 0) / 2 ** 20),
          endRssMB: round(endRss / 2 ** 20),
        };
      }
      const machineEnd = sampleMachine();
      const machineBusyCores = round(
        ((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) * os.cpus().length,
        2,
      );
      return { groups: result, machineBusyCores, seconds: round(seconds) };
    },
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
