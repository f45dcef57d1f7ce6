import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { AppError } from "~/core/errors";
import { BUSY_MESSAGE, toTRPCError } from "./trpc";

describe("toTRPCError", () => {
  it("maps each domain error code to a tRPC code and keeps the message", () => {
    const cases = [
      ["UNAUTHORIZED", "UNAUTHORIZED"],
      ["NOT_FOUND", "NOT_FOUND"],
      ["CONFLICT", "CONFLICT"],
      ["LIMIT_EXCEEDED", "TOO_MANY_REQUESTS"],
      ["UNAVAILABLE", "SERVICE_UNAVAILABLE"],
    ] as const;
    for (const [appCode, trpcCode] of cases) {
      const mapped = toTRPCError(new AppError(appCode, `message for ${appCode}`));
      expect(mapped).toBeInstanceOf(TRPCError);
      expect((mapped as TRPCError).code).toBe(trpcCode);
      expect((mapped as TRPCError).message).toBe(`message for ${appCode}`);
    }
  });

  it("answers Prisma's 'no connection in time' (P2028) as a busy platform to retry, not a fault", () => {
    const busy = Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), {
      code: "P2028",
    });
    const mapped = toTRPCError(busy) as TRPCError;
    expect(mapped).toBeInstanceOf(TRPCError);
    expect([mapped.code, mapped.message]).toEqual(["SERVICE_UNAVAILABLE", BUSY_MESSAGE]);
    const other = Object.assign(new Error("unique constraint"), { code: "P2002" });
    expect(toTRPCError(other)).toBe(other);
  });

  it("leaves other errors alone", () => {
    const error = new Error("boom");
    expect(toTRPCError(error)).toBe(error);
  });
});
