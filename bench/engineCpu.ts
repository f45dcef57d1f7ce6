// The Docker engine's process for the benchmarks' CPU figures: dockerd (its tree holds containerd
// when dockerd started it). Found by name in /proc; undefined when it is not visible from here.
import { readdirSync, readFileSync } from "node:fs";

export function engineCpuPid(): number | undefined {
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, "utf8").trim() === "dockerd") return Number(name);
    } catch {
      // it ended meanwhile
    }
  }
  return undefined;
}
