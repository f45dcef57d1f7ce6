// The shape of a lab, shared by the web, the worker and the lab files' validation. A lab is data
// (labs/<slug>/lab.yaml): the containers and networks a session starts with, ordered steps with
// Markdown instructions, and declarative checks run against live container state.
import { z } from "zod";
import { containerNameSchema, ifaceNameSchema, learnerNameSchema, networkModeSchema, platformContainers } from "~/protocol/labNames";
import { labPatternProblem } from "./pattern";

/** The lab DNS service's address, known only once the session's subnet is. */
export const LAB_DNS_ADDRESS = "@labdns";

export const labNetworkSchema = z.strictObject({
  name: learnerNameSchema,
  driver: z.enum(["bridge", "overlay"]).default("bridge"),
});

export const labContainerSchema = z.strictObject({
  name: learnerNameSchema,
  image: z.literal("busybox:latest").default("busybox:latest"),
  network: networkModeSchema.default("bridge"),
  /** `--dns`: resolvers for this container (IPv4 addresses, or @labdns for the lab DNS service). */
  dns: z.array(z.union([z.ipv4(), z.literal(LAB_DNS_ADDRESS)], "dns servers must be IPv4 addresses or @labdns")).max(3).optional(),
  /** What this container is for and what to try in it, in words (a playground must say it for each). */
  about: z.string().min(1).max(500).optional(),
});

/** A check pattern: one RE2 (linear-time) can run, neither too long nor too complex (labPattern.ts). */
const patternSchema = (groups = 0) =>
  z.string().superRefine((source, ctx) => {
    const problem = labPatternProblem(source, { groups });
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A platform-chosen command (from the lab file, never from a learner) run in a session container. */
const probeSchema = z.strictObject({
  container: containerNameSchema,
  run: z.string().min(1).max(1000),
  /** A regular expression with one group: the value compared. */
  extract: patternSchema(1),
});

const checkBase = {
  id: z.string().regex(/^[a-z0-9-]+$/, "a check id is lowercase letters, digits and '-'"),
  description: z.string().min(1),
  points: z.number().int().min(1).max(100),
  /** What the learner reads when the check fails. */
  failure: z.string().min(1),
  /** Shown after the check's first failure, then (more specific) after its second. */
  hints: z.array(z.string().min(1)).max(2, "a check has at most 2 hints: one after the first failure, one after the second").default([]),
};

/** An address a capture check names: a container of the session (its addresses now), an IPv4 address, or @labdns. */
const wireEndSchema = z.union(
  [containerNameSchema, z.ipv4(), z.literal(LAB_DNS_ADDRESS)],
  "a capture check names a container, an IPv4 address or @labdns",
);

/** What a capture check looks for in the last minute of packets on one interface (src/core/grading/captureCheck.ts). */
export const captureExpectSchema = z.union(
  [
    /** An ICMP echo request or reply between two ends; on a reply, minRttMs: it came at least that long after its request. */
    z.strictObject({
      icmp: z.enum(["echo-request", "echo-reply"]),
      from: wireEndSchema,
      to: wireEndSchema,
      minRttMs: z.number().int().min(1).max(60_000).optional(),
    }).refine((e) => e.minRttMs === undefined || e.icmp === "echo-reply", "minRttMs is for icmp: echo-reply (a reply's time after its request)"),
    /** An ARP request (who has ADDRESS?) or reply (ADDRESS is at) for an address. */
    z.strictObject({ arp: z.enum(["request", "reply"]), for: wireEndSchema }),
    /** A DNS query or response for a name, optionally sent to (a query) or by (a response) an end. */
    z.strictObject({
      dns: z.enum(["query", "response"]),
      name: z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, "a DNS name is lowercase letters, digits, '.' and '-'"),
      to: wireEndSchema.optional(),
    }),
    /** An HTTP request (optionally for a path) or response. */
    z.strictObject({ http: z.enum(["request", "response"]), path: z.string().regex(/^\/[\x21-\x7e]{0,200}$/, "an HTTP path starts with / and has no spaces").optional() }),
  ],
  "expect is one of { icmp, from, to, minRttMs? }, { arp, for }, { dns, name, to? } or { http, path? }",
);

export const checkSchema = z.discriminatedUnion("kind", [
  /** Run a command in a container; its output must match `matches`. */
  z.strictObject({ ...checkBase, kind: z.literal("output"), container: containerNameSchema, run: z.string().min(1).max(1000), matches: patternSchema() }),
  /** Take one value from each of two containers and compare them. */
  z.strictObject({ ...checkBase, kind: z.literal("compare"), left: probeSchema, right: probeSchema, op: z.enum(["equal", "different"]) }),
  /** A container with this name exists and is running (optionally in this network mode). */
  z.strictObject({ ...checkBase, kind: z.literal("container"), name: containerNameSchema, networkMode: networkModeSchema.optional() }),
  /** A network with this name exists in the session (optionally with this driver). */
  z.strictObject({ ...checkBase, kind: z.literal("network"), name: z.string().min(1), driver: z.string().optional() }),
  /** `nslookup name` in a container returns an address (resolves: true) or none (false). */
  z.strictObject({
    ...checkBase,
    kind: z.literal("resolves"),
    container: containerNameSchema,
    name: z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, "a name to resolve is lowercase letters, digits, '.' and '-'"),
    resolves: z.boolean(),
  }),
  /** Traffic seen on a container's interface in the last 60 s (the worker's rolling capture of it). */
  z.strictObject({
    ...checkBase,
    kind: z.literal("capture"),
    on: z.strictObject({ container: containerNameSchema, interface: ifaceNameSchema }),
    expect: captureExpectSchema,
  }),
]);

export const stepSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "a step id is lowercase letters, digits and '-'"),
  title: z.string().min(1),
  /** Markdown; fenced code blocks tagged with a container name (```sh busybox1) are clickable. */
  instructions: z.string().min(1),
  checks: z.array(checkSchema).min(1),
  /**
   * What completes the step, in the same Markdown: shown when the learner asks for it (and recorded
   * in the submission). Its tagged code blocks, in order, are the step's solve script (tests type them).
   */
  solution: z.string().min(1, "a step needs a solution (Markdown with the commands that complete it)"),
});

export const labSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  summary: z.string().min(1),
  estimatedMinutes: z.number().int().positive(),
  /** The seed observations (S1-S12) the lab covers. */
  covers: z.array(z.string().regex(/^S([1-9]|1[0-2])$/)).default([]),
  networks: z.array(labNetworkSchema).default([]),
  /** Started in advance; empty when the learner makes every container with `docker run`. */
  containers: z.array(labContainerSchema).default([]),
  /** Start the lab DNS service (a second resolver, for `--dns`). */
  labDns: z.boolean().default(false),
  /** The terminal the lab page opens first ("host" is the session host). */
  defaultTerminal: containerNameSchema,
  steps: z.array(stepSchema).default([]),
});

export type Lab = z.infer<typeof labSchema>;
export type LabNetwork = z.infer<typeof labNetworkSchema>;
export type LabContainer = z.infer<typeof labContainerSchema>;
export type Check = z.infer<typeof checkSchema>;
export type CaptureCheck = Extract<Check, { kind: "capture" }>;
export type CaptureExpect = z.infer<typeof captureExpectSchema>;
export type Step = z.infer<typeof stepSchema>;

/** The seed observations, in the tutorial's order. */
export const OBSERVATIONS = Array.from({ length: 12 }, (_, i) => `S${i + 1}`);

export function labPoints(lab: Lab): number {
  return lab.steps.reduce((sum, step) => sum + step.checks.reduce((s, c) => s + c.points, 0), 0);
}

/** Containers a session of this lab runs: its own, the session host and, with labDns, the lab DNS (src/core/provisioner/plan.ts). */
export function sessionContainerCount(lab: Pick<Lab, "containers" | "labDns">): number {
  return lab.containers.length + platformContainers(lab).length;
}

/** Fills a lab text with the session's own values. */
export function fillTemplate(text: string, params: { token: string }): string {
  return text.replaceAll("{{token}}", params.token);
}
