// Validation of lab files: the schema (unknown fields, types, regexes) and the references between
// parts of a lab (a check naming a container the lab does not start, and so on). Pure.
import { parse as parseYaml } from "yaml";
import { labSchema, type Lab } from "~/core/labs/schema";
import { DEFAULT_NETWORK, HOST_NETWORK, NO_NETWORK, platformContainers, sharedContainer } from "~/protocol/labNames";

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
  });
  const ids = new Set<string>();
  lab.steps.forEach((step, s) => {
    step.checks.forEach((check, c) => {
      const at = `steps[${s}].checks[${c}]`;
      if (ids.has(check.id)) problems.push({ path: `${at}.id`, message: `check id "${check.id}" is used twice` });
      ids.add(check.id);
      if (check.kind === "output") needContainer(check.container, `${at}.container`);
      if (check.kind === "compare") {
        needContainer(check.left.container, `${at}.left.container`);
        needContainer(check.right.container, `${at}.right.container`);
      }
    });
  });
  lab.solve.forEach((line, i) => needContainer(line.container, `solve[${i}].container`));
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
