// Domain errors thrown by services. The API layer maps them to tRPC codes in one place
// (src/server/api/trpc.ts); the worker records their message on the session.
export type AppErrorCode =
  "UNAUTHORIZED" | "NOT_FOUND" | "BAD_REQUEST" | "CONFLICT" | "FORBIDDEN" | "LIMIT_EXCEEDED" | "UNAVAILABLE";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}
