// Translate dockerode's errors into the provisioner port's errors.
import { LabHostUnavailableError } from "~/core/provisioner/port";

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ECONNRESET", "EHOSTUNREACH", "ETIMEDOUT", "EPIPE"]);

type DockerishError = { statusCode?: number; code?: string; message?: string };

export function statusOf(error: unknown): number | undefined {
  return (error as DockerishError | null)?.statusCode;
}

/** Errors that mean the engine itself is not there (as opposed to a refused request). */
export function toProvisionerError(error: unknown): Error {
  const e = error as DockerishError;
  if (e?.code && UNREACHABLE.has(e.code)) {
    return new LabHostUnavailableError(`cannot reach the Docker engine (${e.code}${e.message ? `: ${e.message}` : ""})`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs an engine call and rethrows its failure as a port error. */
export async function engine<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProvisionerError(error);
  }
}
