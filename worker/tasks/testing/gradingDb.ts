// An in-memory stand-in for the few Prisma calls the check and submit tasks make, so their unit
// tests need no PostgreSQL. It answers only those calls; anything else is a test's mistake.
import { randomUUID } from "node:crypto";
import type { Db } from "~/core/db";
import { loadCatalog } from "~/core/labs/catalog";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { createFakeProvisioner } from "~/core/provisioner/fake";
import { RunStatus } from "~/protocol/checkRun";
import { FIXTURE_LABS_DIR } from "../../../test/support/fixtureLabs";

type Row = Record<string, unknown>;
type Where = Record<string, unknown>;

function matches(row: Row, where: Where): boolean {
  return Object.entries(where).every(([key, want]) => {
    if (want && typeof want === "object" && "in" in want) return (want.in as unknown[]).includes(row[key]);
    return row[key] === want;
  });
}

/** Applies an update as Prisma does, `{ increment: n }` included. */
function update(row: Row, data: Row): Row {
  for (const [key, value] of Object.entries(data)) {
    row[key] =
      value && typeof value === "object" && "increment" in value ? (row[key] as number) + (value.increment as number) : value;
  }
  return row;
}

export function fakeGradingDb(seed: { sessions: Row[]; runs?: Row[]; reveals?: Row[] }) {
  const tables = {
    labSession: seed.sessions,
    checkRun: seed.runs ?? [],
    checkResult: [] as Row[],
    submission: [] as Row[],
    solutionReveal: seed.reveals ?? [],
  };
  const db = {
    tables,
    labSession: {
      findUnique: async ({ where }: { where: Where }) => tables.labSession.find((r) => matches(r, where)) ?? null,
    },
    checkRun: {
      findUnique: async ({ where }: { where: Where }) => tables.checkRun.find((r) => matches(r, where)) ?? null,
      findMany: async ({ where }: { where: Where }) => tables.checkRun.filter((r) => matches(r, where)),
      updateMany: async ({ where, data }: { where: Where; data: Row }) => {
        const hit = tables.checkRun.filter((r) => matches(r, where));
        for (const r of hit) Object.assign(r, data);
        return { count: hit.length };
      },
    },
    checkResult: {
      upsert: async ({ where, create, update: changes }: { where: { sessionId_checkId: Where }; create: Row; update: Row }) => {
        const found = tables.checkResult.find((r) => matches(r, where.sessionId_checkId));
        if (found) return update(found, changes);
        tables.checkResult.push({ ...create });
        return tables.checkResult.at(-1)!;
      },
    },
    submission: {
      findUnique: async ({ where }: { where: Where }) => tables.submission.find((r) => matches(r, where)) ?? null,
      count: async ({ where }: { where: Where }) => tables.submission.filter((r) => matches(r, where)).length,
      create: async ({ data }: { data: Row }) => {
        tables.submission.push({ ...data, createdAt: new Date() });
        return data;
      },
    },
    solutionReveal: {
      findMany: async ({ where }: { where: Where }) => tables.solutionReveal.filter((r) => matches(r, where)),
    },
    $transaction: async <T>(fn: (tx: unknown) => Promise<T>) => fn(db),
  };
  return db as typeof db & Db;
}

/** A session of the fixture lab "joined" (test/fixtures/labs) on the fake provisioner, in `status`, with one queued run. */
export async function gradingFixture(status: string, options: { reveals?: string[] } = {}) {
  const lab = loadCatalog(FIXTURE_LABS_DIR).labs.find((l) => l.slug === "joined")!;
  const sessionId = randomUUID();
  const runId = randomUUID();
  const provisioner = createFakeProvisioner();
  await provisioner.provision({ sessionId, networks: lab.networks, containers: lab.containers, labDns: lab.labDns });
  const db = fakeGradingDb({
    sessions: [{ id: sessionId, status, labSlug: "joined", ...sessionLabColumns(lab), params: { token: "0badc0de" } }],
    runs: [{ id: runId, sessionId, kind: "check", stepId: "same-identity", status: RunStatus.queued, reason: null }],
    reveals: (options.reveals ?? []).map((stepId) => ({ sessionId, stepId, userId: "u1", createdAt: new Date() })),
  });
  return { sessionId, runId, provisioner, db, row: () => db.tables.checkRun[0]! };
}
