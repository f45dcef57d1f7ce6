// A check's failures count failed results of Check presses only; a pass keeps it passed.
import { describe, expect, it } from "vitest";
import type { Prisma } from "~/generated/prisma/client";
import type { CheckOutcome } from "./outcomes";
import { recordOutcomes } from "./recordOutcomes";

type Row = Record<string, unknown>;

/** checkResult.upsert as Prisma applies it ({ increment } included), over one table. */
function fakeTx() {
  const rows = new Map<string, Row>();
  const tx = {
    checkResult: {
      upsert: async ({
        where,
        create,
        update,
      }: {
        where: { sessionId_checkId: { checkId: string } };
        create: Row;
        update: Row;
      }) => {
        const row = rows.get(where.sessionId_checkId.checkId);
        if (!row) return rows.set(where.sessionId_checkId.checkId, { ...create }).get(where.sessionId_checkId.checkId)!;
        for (const [key, value] of Object.entries(update))
          row[key] =
            value && typeof value === "object" ? (row[key] as number) + (value as { increment: number }).increment : value;
        return row;
      },
    },
  };
  return { tx: tx as unknown as Prisma.TransactionClient, row: (id: string) => rows.get(id) };
}

const outcome = (checkId: string, passed: boolean): CheckOutcome => ({
  checkId,
  stepId: "s",
  passed,
  points: 1,
  message: passed ? "ok" : "no",
});

describe("recordOutcomes", () => {
  it("counts each failed result of a Check, keeps the count when it passes, and keeps everPassed", async () => {
    const { tx, row } = fakeTx();
    await recordOutcomes(tx, "sess", [outcome("a", false), outcome("b", true)]);
    expect(row("a")).toMatchObject({ failures: 1, passed: false, everPassed: false });
    expect(row("b")).toMatchObject({ failures: 0, passed: true, everPassed: true });
    await recordOutcomes(tx, "sess", [outcome("a", false), outcome("b", false)]);
    expect(row("a")).toMatchObject({ failures: 2 });
    expect(row("b")).toMatchObject({ failures: 1, passed: false, everPassed: true });
    const ever = await recordOutcomes(tx, "sess", [outcome("a", true)]);
    expect(row("a")).toMatchObject({ failures: 2, passed: true, everPassed: true });
    expect(ever).toEqual(new Map([["a", true]]));
  });

  it("a Submit's failed results (countFailures: false) unlock nothing", async () => {
    const { tx, row } = fakeTx();
    await recordOutcomes(tx, "sess", [outcome("a", false)], { countFailures: false });
    expect(row("a")).toMatchObject({ failures: 0, passed: false });
    await recordOutcomes(tx, "sess", [outcome("a", false)], { countFailures: false });
    expect(row("a")).toMatchObject({ failures: 0 });
    await recordOutcomes(tx, "sess", [outcome("a", false)]);
    expect(row("a")).toMatchObject({ failures: 1 });
  });
});
