// What a refused tRPC call said: its code and message (a call that was allowed fails the test).
import { TRPCError } from "@trpc/server";

export async function refused(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("the call was allowed");
}
