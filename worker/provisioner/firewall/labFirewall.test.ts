// The rule placement, against an in-memory iptables that prints `-S` as the real one does.
import { describe, expect, it } from "vitest";
import { DROP_RULE, ensureRules, ensureTopRules, FORWARD_DROP_RULES, type RuleRunner } from "./labFirewall";

/** A fake iptables: chains of rule strings; -S, -N, -I, -D and -A as the real tool applies them. */
function fakeTables(initial: Record<string, string[]>) {
  const chains = new Map(Object.entries(initial).map(([k, v]) => [k, [...v]]));
  const calls: string[] = [];
  const run: RuleRunner = async (tool, args) => {
    calls.push(`${tool} ${args.join(" ")}`);
    const [op, chain, ...rest] = args;
    if (op === "-S" && chain === undefined) return [...chains.keys()].map((c) => `-N ${c}`).join("\n");
    const rules = chains.get(chain!);
    if (op === "-N") {
      if (rules) throw new Error("Chain already exists");
      chains.set(chain!, []);
      return "";
    }
    if (!rules) throw new Error(`No chain/target/match by that name: ${chain}`);
    if (op === "-S") return [`-N ${chain}`, ...rules.map((r) => `-A ${chain} ${r}`)].join("\n") + "\n";
    if (op === "-I") rules.splice(Number(rest[0]) - 1, 0, rest.slice(1).join(" "));
    else if (op === "-D") rules.splice(Number(rest[0]) - 1, 1);
    else if (op === "-A") rules.push(rest.join(" "));
    return "";
  };
  return { run, chains, calls };
}

const input = DROP_RULE.join(" ");
const fromLab = FORWARD_DROP_RULES[0]!.join(" ");
const toLab = FORWARD_DROP_RULES[1]!.join(" ");

describe("lab firewall rules", () => {
  it("puts the INPUT rule and both DOCKER-USER rules first, keeping Docker's rules after them", async () => {
    const t = fakeTables({
      INPUT: ["-j ACCEPT"],
      FORWARD: ["-j DOCKER-USER", "-j DOCKER-ISOLATION-STAGE-1"],
      "DOCKER-USER": ["-j RETURN"],
    });
    await ensureRules(t.run, "iptables");
    expect(t.chains.get("INPUT")).toEqual([input, "-j ACCEPT"]);
    expect(t.chains.get("DOCKER-USER")).toEqual([fromLab, toLab, "-j RETURN"]);
    expect(t.chains.get("FORWARD")).toEqual(["-j DOCKER-USER", "-j DOCKER-ISOLATION-STAGE-1"]);
    expect(fromLab).toBe("-i nlab-+ ! -o nlab-+ -j DROP");
    expect(toLab).toBe("! -i nlab-+ -o nlab-+ -j DROP");
  });

  it("changes nothing the second time (idempotent)", async () => {
    const t = fakeTables({ INPUT: [], FORWARD: [], "DOCKER-USER": [] });
    await ensureRules(t.run, "ip6tables");
    const after = structuredClone([...t.chains]);
    t.calls.length = 0;
    await ensureRules(t.run, "ip6tables");
    expect([...t.chains]).toEqual(after);
    expect(t.calls.filter((c) => !/ -S( |$)/.test(c))).toEqual([]);
  });

  it("creates DOCKER-USER and FORWARD's jump to it when Docker did not (ip6tables)", async () => {
    const t = fakeTables({ INPUT: [], FORWARD: ["-j ACCEPT"] });
    await ensureRules(t.run, "ip6tables");
    expect(t.chains.get("DOCKER-USER")).toEqual([fromLab, toLab]);
    expect(t.chains.get("FORWARD")).toEqual(["-j DOCKER-USER", "-j ACCEPT"]);
  });

  it("moves its rules back on top and removes copies left further down", async () => {
    const t = fakeTables({ X: ["-j LOG", fromLab, "-j RETURN", toLab, fromLab] });
    await ensureTopRules(t.run, "iptables", "X", FORWARD_DROP_RULES);
    expect(t.chains.get("X")).toEqual([fromLab, toLab, "-j LOG", "-j RETURN"]);
  });

  it("puts a rule in its place when only the second is on top", async () => {
    const t = fakeTables({ X: [toLab, "-j RETURN"] });
    await ensureTopRules(t.run, "iptables", "X", FORWARD_DROP_RULES);
    expect(t.chains.get("X")).toEqual([fromLab, toLab, "-j RETURN"]);
  });
});
