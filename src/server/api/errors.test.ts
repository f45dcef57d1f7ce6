import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { AppError } from "~/core/errors";
import { toTRPCError } from "./trpc";

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

  it("leaves other errors alone", () => {
    const error = new Error("boom");
    expect(toTRPCError(error)).toBe(error);
  });
});
