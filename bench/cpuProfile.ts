// Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and the
// share of each package (or of our own files), so a benchmark's profile can be read in a terminal.
//   node_modules/.bin/tsx bench/cpuProfile.ts FILE.cpuprofile [--top 25]
import { readFileSync } from "node:fs";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** Which package (or our folder) a script belongs to. */
function owner(url: string): string {
  if (!url) return "(native / V8)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return "node internals";
  const ours = /\/(worker|src|bench)\/(.*)$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]!.split("/")[0]}` : url;
}

export function summariseProfile(profile: Profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.split("/").slice(-1)[0] ?? "";
    const key = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    packages.set(owner(url), (packages.get(owner(url)) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1)}%`;
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    seconds: total / 1e6,
    functions: sorted(functions)
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: pct(us) })),
    packages: sorted(packages)
      .slice(0, 15)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: pct(us) })),
  };
}

if (process.argv[1]?.endsWith("cpuProfile.ts")) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: tsx bench/cpuProfile.ts FILE.cpuprofile [--top N]");
  const i = process.argv.indexOf("--top");
  const s = summariseProfile(JSON.parse(readFileSync(file, "utf8")) as Profile, i > 0 ? Number(process.argv[i + 1]) : 25);
  console.log(`${s.seconds.toFixed(1)} s of samples (idle included as "(idle)")\n\nby package:`);
  for (const p of s.packages) console.log(`  ${p.share.padStart(6)}  ${String(p.ms).padStart(7)} ms  ${p.name}`);
  console.log("\nby function (self time):");
  for (const f of s.functions) console.log(`  ${f.share.padStart(6)}  ${String(f.ms).padStart(7)} ms  ${f.name}`);
}
