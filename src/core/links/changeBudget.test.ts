import { describe, expect, it } from "vitest";
import { AppError } from "~/core/errors";
import { LINK_CHANGES_PER_MINUTE, reserveLinkChange, withLinkChange } from "./changeBudget";

describe("a session's link changes", () => {
  it("are at most LINK_CHANGES_PER_MINUTE in any minute, per session", () => {
    const t = 1_000_000;
    for (let i = 0; i < LINK_CHANGES_PER_MINUTE; i++) expect(reserveLinkChange("s1", t + i)).toBeDefined();
    expect(reserveLinkChange("s1", t + 100)).toBeUndefined();
    expect(reserveLinkChange("s2", t + 100)).toBeDefined();
    // The first unit leaves the window a minute after it was taken.
    expect(reserveLinkChange("s1", t + 59_999)).toBeUndefined();
    expect(reserveLinkChange("s1", t + 60_000)).toBeDefined();
    expect(reserveLinkChange("s1", t + 60_000)).toBeUndefined();
  });

  it("give back a refused change's unit, once", () => {
    const t = 5_000_000;
    const units = Array.from({ length: LINK_CHANGES_PER_MINUTE }, () => reserveLinkChange("s3", t)!);
    expect(reserveLinkChange("s3", t)).toBeUndefined();
    units[0]!.refund();
    units[0]!.refund();
    expect(reserveLinkChange("s3", t)).toBeDefined();
    expect(reserveLinkChange("s3", t)).toBeUndefined();
  });

  it("concurrent changes take their unit before they run: at most the bound run, refused ones cost nothing", async () => {
    let ran = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        withLinkChange("s4", async () => {
          ran += 1;
          await new Promise((resolve) => setImmediate(resolve));
          if (i === 0) throw new AppError("BAD_REQUEST", "refused");
          return i;
        }),
      ),
    );
    expect(ran).toBe(LINK_CHANGES_PER_MINUTE);
    const limited = results.filter((r) => r.status === "rejected" && (r.reason as AppError).code === "LIMIT_EXCEEDED");
    expect(limited).toHaveLength(30 - LINK_CHANGES_PER_MINUTE);
    expect(limited[0]).toMatchObject({
      reason: { message: expect.stringMatching(/^Too many link changes in this session \(at most 10 a minute\)/) },
    });
    // The refused one gave its unit back.
    expect(await withLinkChange("s4", async () => "again")).toBe("again");
    await expect(withLinkChange("s4", async () => "over")).rejects.toMatchObject({ code: "LIMIT_EXCEEDED" });
  });
});
