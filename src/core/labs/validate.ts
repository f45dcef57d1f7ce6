// Validation of lab files: the schema (unknown fields, types, regexes) and the references between
// parts of a lab: a lab's own containers and networks; commands typed into terminals that exist; a
// check that reads a file or expects a name its step never tells the learner about (mentions.ts).
// Pure.
import { parse as parseYaml } from "yaml";
import { LAB_DNS_ADDRESS, labSchema, type Lab } from "~/core/labs/schema";
import { parseInstructions } from "~/protocol/instructions";
import { DEFAULT_NETWORK, HOST_NETWORK, LAB_DNS, NO_NETWORK, platformContainers, sharedContainer } from "~/protocol/labNames";
import { captureEnds, checkCommands, expectedNames, indirectPath, learnerFiles, mentions, namesCreated } from "./mentions";

export type LabProblem = { file: string; path: string; message: string };

function crossCheck(lab: Lab): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const containers = new Set([...platformContainers(lab), ...lab.containers.map((c) => c.name)]);
  const networks = new Set([DEFAULT_NETWORK, NO_NETWORK, HOST_NETWORK, ...lab.networks.map((n) => n.name)]);
  const known = [...containers].join(", ");
  const needContainer = (name: string, path: string) => {
    if (!containers.has(name)) problems.push({ path, message: `no container "${name}" in this lab (containers: ${known})` });
  };
  needContainer(lab.defaultTerminal, "defaultTerminal");
  lab.containers.forEach((c, i) => {
    const shared = sharedContainer(c.network);
    if (shared !== undefined) needContainer(shared, `containers[${i}].network`);
    else if (!networks.has(c.network)) problems.push({ path: `containers[${i}].network`, message: `no network "${c.network}" in this lab` });
    if (c.dns?.includes("@labdns") && !lab.labDns) problems.push({ path: `containers[${i}].dns`, message: "@labdns needs labDns: true" });
    if (lab.steps.length === 0 && !c.about)
      problems.push({ path: `containers[${i}].about`, message: "a playground (a lab with no steps) says what each container is for" });
  });
  const ids = new Set<string>();
  const stepIds = new Set<string>();
  // Terminals a code block may name: the lab's, and those made with --name in this step or before.
  const terminals = new Set(containers);
  lab.steps.forEach((step, s) => {
    const at = `steps[${s}]`;
    if (stepIds.has(step.id)) problems.push({ path: `${at}.id`, message: `step id "${step.id}" is used twice` });
    stepIds.add(step.id);
    const texts = [
      ["instructions", step.instructions],
      ["solution", step.solution],
    ] as const;
    for (const [, text] of texts) {
      for (const block of parseInstructions(text)) {
        if (block.kind === "code") for (const name of namesCreated(block.code)) terminals.add(name);
      }
    }
    for (const [field, text] of texts) {
      for (const block of parseInstructions(text)) {
        if (block.kind !== "code" || block.terminal === null) continue;
        const head = block.code.split("\n")[0]!.slice(0, 40);
        if (block.code.includes("\n"))
          problems.push({ path: `${at}.${field}`, message: `the command block for ${block.terminal} starting "${head}" has more than one line: a clickable command is one line (it is typed without Enter)` });
        if (!terminals.has(block.terminal))
          problems.push({ path: `${at}.${field}`, message: `a command block is typed into "${block.terminal}", which the lab neither starts nor creates with --name in this step or before (known: ${[...terminals].join(", ")})` });
        if (field === "solution" && block.placeholders.length > 0)
          problems.push({ path: `${at}.solution`, message: `the solution's command "${head}" has the placeholder(s) ${block.placeholders.map((p) => `<${p}>`).join(", ")}: a solution gives real values` });
      }
    }
    step.checks.forEach((check, c) => {
      const where = `${at}.checks[${c}]`;
      if (ids.has(check.id)) problems.push({ path: `${where}.id`, message: `check id "${check.id}" is used twice` });
      ids.add(check.id);
      for (const { field, run } of checkCommands(check)) {
        const indirect = indirectPath(run);
        if (indirect)
          problems.push({ path: `${where}.${field}`, message: `${indirect}: write each file the check reads as one absolute path, so validation can hold it to the instructions` });
        for (const file of learnerFiles(run)) {
          if (!mentions(step.instructions, file))
            problems.push({ path: `${where}.${field}`, message: `reads ${file}, which the instructions of step "${step.id}" never mention: tell the learner to make it there` });
        }
      }
      if (check.kind === "capture" && !lab.labDns) {
        const labDns = [
          ...(check.on.container === LAB_DNS ? ["on.container"] : []),
          ...captureEnds(check.expect).flatMap(({ field, end }) => (end === LAB_DNS_ADDRESS || end === LAB_DNS ? [`expect.${field}`] : [])),
        ];
        for (const field of labDns) problems.push({ path: `${where}.${field}`, message: "the lab DNS (dns, @labdns) needs labDns: true" });
      }
      for (const { field, name } of expectedNames(check)) {
        if (containers.has(name) || networks.has(name)) continue;
        if (!mentions(step.instructions, name))
          problems.push({ path: `${where}.${field}`, message: `expects "${name}", which the instructions of step "${step.id}" never mention: name it there` });
      }
    });
  });
  return problems;
}

/** Parses and validates one lab file; returns the lab or the problems, each with its field. */
export function validateLabFile(file: string, text: string, expectedSlug?: string): { lab?: Lab; problems: LabProblem[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    return { problems: [{ file, path: "(file)", message: `not valid YAML: ${(error as Error).message.split("\n")[0]}` }] };
  }
  const parsed = labSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({
        file,
        path: issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") || "(lab)",
        message: issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message,
      })),
    };
  }
  const problems = crossCheck(parsed.data).map((p) => ({ file, ...p }));
  if (expectedSlug && parsed.data.slug !== expectedSlug) {
    problems.push({ file, path: "slug", message: `slug "${parsed.data.slug}" must match its folder "${expectedSlug}"` });
  }
  return problems.length ? { problems } : { lab: parsed.data, problems };
}
